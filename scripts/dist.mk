# `make dist`: every package into target/dist/, then scripts/test_dist.py checks each archive
# (both licenses, the policy schema, the metadata) and installs the npm tarball and the wheel
# afresh to decide with them. Included by the top Makefile, after the language fragments
# (whose build targets and variables it uses). `make test` runs it (test-dist), which also
# runs `cargo publish --dry-run` on the crate.
#
# - the crate: `cargo publish --dry-run` (packages core/ and builds it alone, with every
#   dependency from the registry), the .crate written by `cargo package`;
# - the npm package: `npm pack` of pkg/ after build-js, and of the three per-platform
#   packages of the native addon (target/npm/, build-napi);
# - the Python wheels of wheels-python (bindings-python/python.mk: abi3 for manylinux2014
#   x86_64 and aarch64 and musllinux_1_2 x86_64, a version-specific one per CPython >= 3.9
#   found here) and the sdist (`maturin sdist`);
# - the Java jar (build-java) and the Ruby source gem (gem-ruby).

DIST := target/dist
CRATE_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

TEST_TARGETS += test-dist

.PHONY: dist dist-dir dist-crate dist-npm dist-python dist-java dist-ruby test-dist

dist: dist-crate dist-npm dist-python dist-java dist-ruby ## Every package into target/dist/ (.crate, npm tarballs, wheels, sdist, jar, gem), each checked
	@mkdir -p $(TEST_LOGS)
	$(PY) -m pytest -p no:cacheprovider scripts/test_dist.py 2>&1 | tee $(TEST_LOGS)/dist.log

dist-dir:
	@rm -rf $(DIST) && mkdir -p $(DIST)

# --allow-dirty: a local `make test` with uncommitted edits checks them too. The dry run
# keeps its .crate to itself; `cargo package --no-verify` writes the same one, unbuilt again.
dist-crate: dist-dir
	$(CARGO) publish --dry-run --allow-dirty -p tracesieve
	$(CARGO) package --no-verify --allow-dirty -p tracesieve
	cp target/package/tracesieve-$(CRATE_VERSION).crate $(DIST)/

# npm: the main tarball (no native code) and the native addon's three per-platform packages
# (build-napi, bindings-js/js.mk), the main package's optionalDependencies.
# build-cli-wasm: the bin's module (pkg/wasm-cli), which build-js does not build.
dist-npm: dist-dir setup-js build-js build-cli-wasm build-napi
	cd pkg && npm pack --silent --pack-destination ../$(DIST) >/dev/null
	for p in linux-x64-gnu linux-arm64-gnu linux-x64-musl; do \
	  $(JS_BIN)/publint --strict $(NPM_PLATFORM_DIR)/tracesieve-$$p; \
	  npm pack --silent --pack-destination $(DIST) ./$(NPM_PLATFORM_DIR)/tracesieve-$$p >/dev/null; \
	done
	@for f in $(DIST)/tracesieve-*.tgz; do echo "dist: $$(basename $$f) $$(stat -c %s $$f) bytes"; done

dist-python: dist-dir wheels-python
	cp $(PY_DIST_WHEELS)/tracesieve-*.whl $(DIST)/
	$(PY_VENV)/bin/maturin sdist -m bindings-python/Cargo.toml --out $(DIST)
	@for f in $(DIST)/tracesieve-*.whl $(DIST)/tracesieve-*.tar.gz; do echo "dist: $$(basename $$f) $$(stat -c %s $$f) bytes"; done

dist-java: dist-dir build-java
	cp $(JAVA_JAR) $(DIST)/

dist-ruby: dist-dir gem-ruby
	cp target/ruby/tracesieve.gem $(DIST)/tracesieve-$(CRATE_VERSION).gem

test-dist: dist ## The dist checks alone: make dist (cargo publish --dry-run included)
