# tracesieve: one sampling policy for every Sentry SDK.
# `make help` lists the targets. `make demo` and `make test` work on a fresh machine.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
NOSTD_TARGETS := thumbv7em-none-eabi wasm32v1-none

.DEFAULT_GOAL := help

# Each language package adds its targets to these lists in its own make fragment.
SETUP_TARGETS := setup-rust
TEST_TARGETS := test-rust test-fuzz

# Seeded random cases (tests/src/generate.rs) that every vector runner reads besides
# tests/vectors: decided by Rust when generated, they must be decided the same everywhere.
DIFF_CASES ?= 2000
DIFF_FILE := $(CURDIR)/target/differential/cases-$(DIFF_CASES).json
export TRACESIEVE_EXTRA_VECTORS := $(DIFF_FILE)
# The Rust-shaped vector cases in the canonical shape, as the core's Rust SDK adapter reads
# them (tests/src/bin/rust_canonical.rs): the JS and Python runners decide those cases
# through their canonical adapter over it.
RUST_CANONICAL := $(CURDIR)/target/differential/rust-canonical.json
export TRACESIEVE_RUST_CANONICAL := $(RUST_CANONICAL)
DEMO_TARGETS :=
BENCH_TARGETS := bench-rust

# zig (PyPI's ziglang) and cargo-zigbuild, in a venv of their own: the linker and C library
# (glibc 2.17, musl) of every cross-built artifact: the napi packages, the Python wheels, the
# Java package's native cores. ZIG_PATH puts them first on the PATH of a recipe's command.
ZIG_VENV := target/zig-venv
ZIG_PATH := PATH="$(CURDIR)/$(ZIG_VENV)/bin:$$PATH"
CARGO_ZIGBUILD_VERSION := 0.24.0
ZIGLANG_VERSION := 0.17.0
SETUP_TARGETS += setup-zig
include bindings-js/js.mk
include bindings-python/python.mk
include bindings-ruby/ruby.mk
include cli/cli.mk
include bindings-wasm/wasm-abi.mk
include bindings-java/java.mk
include scripts/soak.mk
include scripts/dist.mk

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: setup setup-rust
setup: $(SETUP_TARGETS) ## Install what a fresh machine needs (toolchains, packages)
setup-rust:
	rustup component add clippy rustfmt
	rustup target add $(NOSTD_TARGETS)

.PHONY: setup-zig
setup-zig: ## Install zig and cargo-zigbuild into target/zig-venv (the cross builds' linker)
	@if [ "$$($(ZIG_VENV)/bin/cargo-zigbuild --version 2>/dev/null)" = "cargo-zigbuild $(CARGO_ZIGBUILD_VERSION)" ] \
	  && [ "$$($(ZIG_VENV)/bin/python -m ziglang version 2>/dev/null)" = "$(ZIGLANG_VERSION)" ]; then \
	  echo "cargo-zigbuild $(CARGO_ZIGBUILD_VERSION) and zig $(ZIGLANG_VERSION) present ($(ZIG_VENV))"; \
	else \
	  python3 -m venv $(ZIG_VENV) && $(ZIG_VENV)/bin/pip install -q --disable-pip-version-check \
	    cargo-zigbuild==$(CARGO_ZIGBUILD_VERSION) ziglang==$(ZIGLANG_VERSION); \
	fi

.PHONY: build
build: ## Build every crate (release)
	$(CARGO) build --workspace --all-features --release

TEST_LOGS := target/test-logs

.PHONY: test
test: setup lint check-nostd $(TEST_TARGETS) ## Everything CI runs: lint, no_std builds, every test
	@python3 scripts/test_summary.py $(TEST_LOGS)/*.log

.PHONY: differential-cases rust-canonical
differential-cases: ## Generate the differential cases (DIFF_CASES, default 2000) for every runner
	$(CARGO) run -q -p tracesieve-conformance --bin gen_differential -- --cases $(DIFF_CASES) $(DIFF_FILE)

rust-canonical: ## The Rust-shaped vector cases' canonical projections (by the core's Rust adapter) for the JS, Python and Java runners
	$(CARGO) run -q -p tracesieve-conformance --bin rust_canonical -- $(RUST_CANONICAL)

.PHONY: test-rust
test-rust: differential-cases ## Rust unit tests, doc tests, the sentry-crate tests, the conformance vectors
	@mkdir -p $(TEST_LOGS)
	$(CARGO) test --workspace --all-features 2>&1 | tee $(TEST_LOGS)/rust.log

FUZZ_TARGETS := policy decide propagation glob compiled
FUZZ_SECONDS ?= 60

.PHONY: setup-fuzz fuzz test-fuzz
# cargo-fuzz needs nightly's -Z flags. A fresh machine may not be able to install a nightly
# toolchain: then the stable one runs it with RUSTC_BOOTSTRAP=1 (same sanitizer and libFuzzer).
setup-fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal \
	  || echo "no nightly toolchain: fuzzing with the stable one (RUSTC_BOOTSTRAP=1)"
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --version 0.13.2

fuzz: setup-fuzz ## Run each fuzz target for FUZZ_SECONDS (default 60): make fuzz FUZZ_SECONDS=3600
	@mkdir -p $(TEST_LOGS)
	@if rustup toolchain list | grep -q '^nightly'; then fuzz="cargo +nightly fuzz"; \
	else fuzz="env RUSTC_BOOTSTRAP=1 cargo fuzz"; fi; \
	cd core && for t in $(FUZZ_TARGETS); do \
	  log=../$(TEST_LOGS)/fuzz-$$t.txt; \
	  if $$fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) > $$log 2>&1; then \
	    echo "fuzz $$t: $$(grep -aE '^Done' $$log)"; \
	  else \
	    echo "fuzz $$t FAILED (input kept in core/fuzz/artifacts/$$t):"; tail -40 $$log; exit 1; \
	  fi; \
	done

test-fuzz: ## A 30-second fuzz smoke of each target
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

check-nostd: ## Build the core without std for targets that have none
	@for t in $(NOSTD_TARGETS); do \
	  echo "no_std build for $$t"; \
	  $(CARGO) build -p tracesieve --no-default-features --target $$t; \
	  $(CARGO) build -p tracesieve --no-default-features --features json --target $$t; \
	done

.PHONY: lint
lint: ## rustfmt --check and clippy -D warnings
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-features --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p tracesieve --no-deps
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p tracesieve --all-features --no-deps

.PHONY: bench bench-rust
bench: $(BENCH_TARGETS) ## Every benchmark, each with its table
bench-rust: ## Criterion benchmarks of the core, then a table (decisions vs the hand-written sampler)
	$(CARGO) bench -p tracesieve --bench decide
	python3 scripts/bench_table.py

.PHONY: demo
demo: demo-clean $(DEMO_TARGETS) ## The bundled policy on the bundled traffic, through the real SDKs: one table
	$(CARGO) run -q --release -p tracesieve --features sentry --example demo

.PHONY: demo-clean
demo-clean:
	@rm -rf target/demo
