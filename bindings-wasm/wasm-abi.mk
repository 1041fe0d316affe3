# tracesieve.wasm, the portable module (bindings-wasm, docs/wasm-abi.md): its build, its
# size, and its test host (every conformance vector through the module on wasmi). Included
# by the top Makefile; the Java package (bindings-java) packages the module it builds.

SETUP_TARGETS += setup-wasm-abi
# test-rust (cargo test --workspace) runs the module's host; test-wasm-abi runs it alone.

ABI_TARGET := wasm32-unknown-unknown
ABI_TARGET_DIR := target/wasm-abi
ABI_RAW := $(ABI_TARGET_DIR)/$(ABI_TARGET)/release/tracesieve_abi.wasm
ABI_WASM := $(ABI_TARGET_DIR)/out/tracesieve.wasm
# Built for size (opt-level z), panics abort, symbols stripped; in a target directory of its
# own so that it invalidates no other build.
ABI_ENV := CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_STRIP=true
# wasm-opt (npm binaryen, installed by setup-js) when present: only the features the
# module may use, so that every runtime (Chicory, wazero, wasmi) loads it.
ABI_WASM_OPT := tests/js/node_modules/.bin/wasm-opt
ABI_OPT_FLAGS := -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
	--enable-nontrapping-float-to-int --strip-debug --strip-producers
# The size budget (bytes gzipped -9): `make wasm-abi-size` fails past it. (100000 until the
# recording exports: about 101 KB before them with wasm-opt 132, about 106 KB with them.)
ABI_MAX_GZIP := 110000

.PHONY: setup-wasm-abi build-wasm-abi test-wasm-abi wasm-abi-size

setup-wasm-abi: ## The wasm target for the portable module
	rustup target add $(ABI_TARGET)

$(ABI_WASM): $(shell find core/src bindings-js/common/src bindings-wasm/src -name '*.rs') \
		core/Cargo.toml bindings-js/common/Cargo.toml bindings-wasm/Cargo.toml
	$(ABI_ENV) $(CARGO) build --release -p tracesieve-wasm-abi --lib --target $(ABI_TARGET) --target-dir $(ABI_TARGET_DIR)
	@mkdir -p $(dir $@)
	@if [ -x $(ABI_WASM_OPT) ]; then $(ABI_WASM_OPT) $(ABI_OPT_FLAGS) $(ABI_RAW) -o $@; \
	else echo "wasm-opt not installed (make setup-js): the module is cargo's output"; cp $(ABI_RAW) $@; fi

build-wasm-abi: $(ABI_WASM) ## Build tracesieve.wasm (target/wasm-abi/out), the portable module
	@$(MAKE) --no-print-directory wasm-abi-size

wasm-abi-size: ## The portable module's size (raw, gzip -9); fails past its budget
	@raw=$$(stat -c %s $(ABI_WASM)); gz=$$(gzip -9c $(ABI_WASM) | wc -c); \
	echo "tracesieve.wasm (portable): $$raw bytes raw, $$gz bytes gzipped (budget $(ABI_MAX_GZIP) gzipped)"; \
	if [ $$gz -gt $(ABI_MAX_GZIP) ]; then echo "tracesieve.wasm over its size budget"; exit 1; fi

# `cargo test --workspace` (test-rust) runs the module's host too: build the module first.
test-rust: $(ABI_WASM)

test-wasm-abi: setup-wasm-abi build-wasm-abi differential-cases ## Every vector through tracesieve.wasm (wasmi host)
	@mkdir -p $(TEST_LOGS)
	$(CARGO) test -p tracesieve-wasm-abi --test vectors 2>&1 | tee $(TEST_LOGS)/wasm-abi.log
