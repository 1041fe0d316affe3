# The command line (cli/): the Rust binary, its wasm build for `npx tracesieve`
# (pkg/wasm-cli, a module of its own so the sampler's modules stay small) and the test that
# runs the same commands through the three front ends. Included by the top Makefile.

TEST_TARGETS += test-cli

CLI_WASM_RAW := target/wasm-cli/$(WASM_TARGET)/release/tracesieve_cli_wasm.wasm
# Built for size (a command, run once per invocation), in a target directory of its own.
CLI_WASM_ENV := CARGO_PROFILE_RELEASE_OPT_LEVEL=s CARGO_PROFILE_RELEASE_PANIC=abort

.PHONY: build-cli build-cli-wasm test-cli

build-cli: ## The tracesieve binary (target/release/tracesieve)
	$(CARGO) build --release -p tracesieve-cli

build-cli-wasm: ## The command line as wasm for the npm package's bin (pkg/wasm-cli)
	$(CLI_WASM_ENV) $(CARGO) build --release -p tracesieve-cli-wasm --target $(WASM_TARGET) --target-dir target/wasm-cli
	@rm -rf pkg/wasm-cli
	wasm-bindgen --target nodejs --remove-name-section --remove-producers-section --out-dir pkg/wasm-cli $(CLI_WASM_RAW)
	echo '{ "type": "commonjs" }' > pkg/wasm-cli/package.json
	$(JS_BIN)/wasm-opt $(LITE_OPT_FLAGS) pkg/wasm-cli/tracesieve_cli_wasm_bg.wasm -o pkg/wasm-cli/tracesieve_cli_wasm_bg.wasm
	@f=pkg/wasm-cli/tracesieve_cli_wasm_bg.wasm; echo "cli wasm module: $$(stat -c %s $$f) bytes raw, $$(gzip -9c $$f | wc -c) gzipped"

# build-js empties pkg/wasm, not pkg/wasm-cli; the JS tests run the bin, so it needs both.
test-js: build-cli-wasm
# The recording tests of each binding run `tracesieve simulate` (the Rust binary) on what they recorded.
test-js test-python test-ruby: build-cli

test-cli: setup-js setup-python build-cli build-cli-wasm ## The command line: its tests, then every command through the Rust binary, python -m and npx, compared byte for byte
	@mkdir -p $(TEST_LOGS)
	$(CARGO) test -p tracesieve-cli 2>&1 | tee $(TEST_LOGS)/cli-rust.log
	$(PY) tests/cli/front_ends.py 2>&1 | tee $(TEST_LOGS)/cli.log
