# The npm package `tracesieve` (pkg/): its two backends (bindings-js/wasm, bindings-js/napi),
# its tests (tests/js), its benchmark and its demo column. Included by the top Makefile.

SETUP_TARGETS += setup-js
TEST_TARGETS += test-js
DEMO_TARGETS += demo-js
BENCH_TARGETS += bench-js

WASM_BINDGEN_VERSION := 0.2.130
JS_DIR := tests/js
JS_BIN := $(JS_DIR)/node_modules/.bin
WASM_TARGET := wasm32-unknown-unknown
WASM_RAW := target/$(WASM_TARGET)/release/tracesieve_wasm.wasm
# A test-only wasm module with the conformance vectors' other context shapes (canonical,
# python), which the shipped module leaves out; the vectors runner loads it from here.
WASM_CONFORMANCE := target/wasm-conformance
WASM_OPT_FLAGS := -O3 --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
	--enable-sign-ext --enable-mutable-globals --enable-multivalue --strip-debug --strip-producers
# The native addon: one npm package per platform (`optionalDependencies` of pkg/package.json),
# each built by cargo-zigbuild (zig as the linker and C library: glibc 2.17 for the gnu ones,
# musl) into target/npm/<package>/, stripped. A musl cdylib needs `-crt-static` to be a
# loadable shared object. `make build-js` builds this machine's package (the one pkg/src/
# platform.cjs picks) and copies its addon into pkg/native/ for the tests (the published
# tarball leaves native/ out); `make build-napi` builds all three.
NAPI_TARGETS := x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl
NAPI_TARGET_linux-x64-gnu := x86_64-unknown-linux-gnu.2.17
NAPI_TARGET_linux-arm64-gnu := aarch64-unknown-linux-gnu.2.17
NAPI_TARGET_linux-x64-musl := x86_64-unknown-linux-musl
NAPI_ENV := $(ZIG_PATH) CARGO_PROFILE_RELEASE_STRIP=symbols \
	CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=-crt-static"
NPM_PLATFORM_DIR := target/npm
HOST_NAPI := $(shell node -p "require('./pkg/src/platform.cjs').nativeAddon()?.name.replace('tracesieve-', '') ?? 'none'" 2>/dev/null)
# The full module (Node, workers, edge, tracesieve/full) is built for speed: servers decide
# every root at full rate, and at opt-level 3 (and wasm-opt -O3) a decision runs fewer
# instructions than at s, for a larger module (figures: docs/benchmarks.md). Panics abort.
WASM_ENV := CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_PANIC=abort
# The browser module: no policy compiler (it loads compiled policies), built for size alone
# (opt-level z: a page decides a few roots, not thousands a second), in a target directory
# of its own so that neither build invalidates the other.
LITE_ENV := CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_PANIC=abort
LITE_TARGET_DIR := target/wasm-lite
LITE_RAW := $(LITE_TARGET_DIR)/$(WASM_TARGET)/release/tracesieve_wasm.wasm
LITE_OPT_FLAGS := $(patsubst -O3,-Oz,$(WASM_OPT_FLAGS))
# The size budget of the browser module (bytes, after wasm-opt): `make wasm-size` fails past it.
LITE_MAX_RAW := 100000
LITE_MAX_GZIP := 40000

.PHONY: setup-js setup-napi build-js build-napi test-js bench-js demo-js

# Points the wasm-bindgen glue $(1) at its module $(2) (a path relative to the glue) in place
# of the file the glue names by default; fails unless that name is there exactly once.
define point_glue
	@test "$$(grep -cF tracesieve_wasm_bg.wasm $(1))" = 1 || { echo "$(1): expected one tracesieve_wasm_bg.wasm"; exit 1; }
	sed -i 's|tracesieve_wasm_bg\.wasm|$(2)|' $(1)
endef

# Builds the addon for the platform $(1) (linux-x64-gnu, ...) and writes its npm package
# into $(NPM_PLATFORM_DIR)/tracesieve-$(1)/.
define napi_package
	@test -n "$(NAPI_TARGET_$(1))" || { echo "no native addon for this platform ($(1)): tracesieve ships linux-x64-gnu, linux-arm64-gnu and linux-x64-musl"; exit 1; }
	$(NAPI_ENV) $(CARGO) zigbuild --release -p tracesieve-napi --target $(NAPI_TARGET_$(1))
	node bindings-js/napi/platform-package.mjs tracesieve-$(1) \
	  target/$(patsubst %.2.17,%,$(NAPI_TARGET_$(1)))/release/libtracesieve_napi.so $(NPM_PLATFORM_DIR)/tracesieve-$(1)
endef

setup-napi: setup-zig ## Install the native addon's cross-build needs: zig (setup-zig), the Rust targets; musl, whose loader make dist lists the musl addon with
	rustup target add $(NAPI_TARGETS)
	@if [ -x /lib/ld-musl-x86_64.so.1 ]; then echo "musl present"; else apt-get update && apt-get install -y musl; fi

build-napi: setup-napi ## The native addon's npm package for every platform (linux-x64-gnu, linux-arm64-gnu, linux-x64-musl) into target/npm/
	$(call napi_package,linux-x64-gnu)
	$(call napi_package,linux-arm64-gnu)
	$(call napi_package,linux-x64-musl)

setup-js: setup-napi ## Install what the JS package needs: wasm target, wasm-bindgen CLI, npm packages, chromium, the napi cross-build tools
	rustup target add $(WASM_TARGET)
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "wasm-bindgen $(WASM_BINDGEN_VERSION) already installed"; \
	else \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@stamp=$(JS_DIR)/node_modules/.lock-sha; want=$$(sha256sum $(JS_DIR)/package-lock.json | cut -d' ' -f1); \
	if [ "$$(cat $$stamp 2>/dev/null)" = "$$want" ]; then echo "npm packages up to date ($(JS_DIR))"; \
	else (cd $(JS_DIR) && npm ci --no-audit --no-fund) && echo "$$want" > $$stamp; fi
	@if [ -x /usr/bin/chromium ]; then echo "chromium present"; \
	else apt-get update && apt-get install -y chromium; fi

build-js: ## Build both backends into pkg/ (wasm/full.wasm and wasm/browser.wasm after wasm-opt, their glue; the native addon; index.d.cts)
	$(WASM_ENV) $(CARGO) build --release -p tracesieve-wasm --target $(WASM_TARGET) --features conformance
	@rm -rf $(WASM_CONFORMANCE)
	wasm-bindgen --target nodejs --out-dir $(WASM_CONFORMANCE) $(WASM_RAW)
	$(WASM_ENV) $(CARGO) build --release -p tracesieve-wasm --target $(WASM_TARGET)
	@rm -rf pkg/wasm pkg/native pkg/dist && mkdir -p pkg/wasm pkg/native pkg/dist
	wasm-bindgen --target nodejs --no-typescript --remove-name-section --remove-producers-section --out-dir pkg/wasm/node $(WASM_RAW)
	wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir pkg/wasm/web $(WASM_RAW)
	echo '{ "type": "commonjs" }' > pkg/wasm/node/package.json
	@# One copy of each module (the node and web glue load the same bytes), as a subpath export.
	cmp pkg/wasm/node/tracesieve_wasm_bg.wasm pkg/wasm/web/tracesieve_wasm_bg.wasm
	$(JS_BIN)/wasm-opt $(WASM_OPT_FLAGS) pkg/wasm/web/tracesieve_wasm_bg.wasm -o pkg/wasm/full.wasm
	rm pkg/wasm/node/tracesieve_wasm_bg.wasm pkg/wasm/web/tracesieve_wasm_bg.wasm
	$(LITE_ENV) $(CARGO) build --release -p tracesieve-wasm --target $(WASM_TARGET) --no-default-features --target-dir $(LITE_TARGET_DIR)
	wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir pkg/wasm/lite $(LITE_RAW)
	$(JS_BIN)/wasm-opt $(LITE_OPT_FLAGS) pkg/wasm/lite/tracesieve_wasm_bg.wasm -o pkg/wasm/browser.wasm
	rm pkg/wasm/lite/tracesieve_wasm_bg.wasm
	$(call point_glue,pkg/wasm/node/tracesieve_wasm.js,../full.wasm)
	$(call point_glue,pkg/wasm/web/tracesieve_wasm.js,../full.wasm)
	$(call point_glue,pkg/wasm/lite/tracesieve_wasm.js,../browser.wasm)
	@# CommonJS types: index.d.ts without its default export (require() returns the named exports).
	sed '/^\/\/ default-export:start/,/^\/\/ default-export:end/d' pkg/index.d.ts > pkg/index.d.cts
	$(call napi_package,$(HOST_NAPI))
	cp $(NPM_PLATFORM_DIR)/tracesieve-$(HOST_NAPI)/tracesieve.$(HOST_NAPI).node pkg/native/
	$(JS_BIN)/esbuild pkg/src/shim.js --bundle --format=cjs --platform=neutral --log-level=warning --outfile=pkg/dist/shim.cjs

test-js: setup-js build-js differential-cases rust-canonical ## The JS package: vectors on both backends, real Sentry SDKs, headless Chromium, types
	@mkdir -p $(TEST_LOGS)
	$(JS_BIN)/tsc -p $(JS_DIR)/tsconfig.json 2>&1 | tee $(TEST_LOGS)/js-types.log
	cd $(JS_DIR) && node --test --test-reporter=tap *.test.mjs 2>&1 | tee ../../$(TEST_LOGS)/js.log
	@$(MAKE) --no-print-directory wasm-size
	@$(MAKE) --no-print-directory js-package-lint 2>&1 | tee $(TEST_LOGS)/js-package-lint.log

.PHONY: js-package-lint
js-package-lint: ## The packed npm package: attw --pack (types for every resolution mode), publint --strict, `npm publish --dry-run` without a warning
	@# node16 profile: the package needs Node >= 20 (engines), whose resolution is node16's.
	cd pkg && ../$(JS_BIN)/attw --pack . --profile node16 --exclude-entrypoints ./browser ./wasm/browser.wasm ./wasm/full.wasm ./policy.schema.json
	@# tracesieve/browser is ES modules only (the browser module loads asynchronously).
	cd pkg && ../$(JS_BIN)/attw --pack . --profile node16 --entrypoints ./browser --ignore-rules cjs-resolves-to-esm
	$(JS_BIN)/publint --strict pkg
	@# Every warning fails, but the one that no npm login is on this machine.
	@out=$$(cd pkg && npm publish --dry-run 2>&1); \
	  if echo "$$out" | grep '^npm warn' | grep -v 'requires you to be logged in .* (dry-run)$$'; then echo "npm publish --dry-run: warnings (above)"; exit 1; fi; \
	  echo "npm publish --dry-run: no warnings"

.PHONY: wasm-size
wasm-size: ## Sizes of the built wasm modules (raw and gzip -9); fails if the browser module is over budget
	@f=pkg/wasm/full.wasm; \
	echo "full wasm module (Node, workers, tracesieve/full): $$(stat -c %s $$f) bytes raw, $$(gzip -9c $$f | wc -c) bytes gzipped ($$f)"
	@f=pkg/wasm/browser.wasm; raw=$$(stat -c %s $$f); gz=$$(gzip -9c $$f | wc -c); \
	echo "browser wasm module: $$raw bytes raw, $$gz bytes gzipped ($$f; budget $(LITE_MAX_RAW) / $(LITE_MAX_GZIP))"; \
	if [ $$raw -gt $(LITE_MAX_RAW) ] || [ $$gz -gt $(LITE_MAX_GZIP) ]; then echo "browser wasm module over its size budget"; exit 1; fi

# The tools (tools/js: bench, demo, soak) import the packages the tests install: ES modules
# resolve bare names from the importing file's folder up (NODE_PATH does not apply), so
# tools/js/node_modules links to tests/js/node_modules.
.PHONY: tools-js
tools-js: setup-js
	@ln -sfn ../../$(JS_DIR)/node_modules tools/js/node_modules

bench-js: tools-js build-js ## Per-decision cost vs the seed's hand-written sampler, and startSpan throughput
	node tools/js/bench.mjs

demo-js: tools-js build-js ## The demo's JS columns (wasm and native, through the real @sentry/node)
	node tools/js/demo.mjs wasm && node tools/js/demo.mjs native
