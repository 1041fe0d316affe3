# `make soak`: the long reliability runs of docs/reliability.md. Included by the top Makefile
# (after the language fragments, whose setup, build and variables it uses).
#
# - soak-differential: SOAK_CASES (20,000) generated cases through the same runners
#   `make test` uses for its 2,000 (the `differential-cases` target, then the Rust runner,
#   the JavaScript vectors test on wasm and napi, the Python vectors test), each reading the
#   cases through TRACESIEVE_EXTRA_VECTORS.
# - soak-memory: SOAK_DECISIONS (10,000,000) decisions in each of wasm, napi and Python, with
#   memory held flat after a warm-up (tools/js/soak.mjs, tools/python/soak.py).

SOAK_CASES := 20000
SOAK_DECISIONS ?= 10000000
SOAK_LOGS = $(TEST_LOGS)/soak
# Runs a command, then prints its wall time: $(call soak_timed,label) command...
soak_timed = TIMEFORMAT='soak: $(1): %1R s wall'; time

.PHONY: soak soak-differential soak-memory

soak: soak-differential soak-memory ## The 20,000-case differential run on every backend, 10,000,000 decisions per backend with memory held flat
	@echo "soak: passed (logs in $(SOAK_LOGS))"

soak-differential: export TRACESIEVE_EXTRA_VECTORS := $(CURDIR)/target/differential/cases-$(SOAK_CASES).json
soak-differential: setup-js build-js setup-python rust-canonical
	@mkdir -p $(SOAK_LOGS)
	@$(MAKE) --no-print-directory differential-cases DIFF_CASES=$(SOAK_CASES)
	@$(call soak_timed,rust vectors) $(CARGO) test -q --workspace --all-features --test vectors \
	  > $(SOAK_LOGS)/rust.log 2>&1 || { tail -60 $(SOAK_LOGS)/rust.log; exit 1; }
	@grep -E '^test result' $(SOAK_LOGS)/rust.log
	@cd $(JS_DIR) && $(call soak_timed,js vectors) node --test --test-reporter=tap vectors.test.mjs \
	  > ../../$(SOAK_LOGS)/js.log 2>&1 || { grep -A20 '^not ok' ../../$(SOAK_LOGS)/js.log | head -200; exit 1; }
	@grep -E '^# (tests|pass|fail) ' $(SOAK_LOGS)/js.log
	@cd tests/python && $(call soak_timed,python vectors) ../../$(PY) -m pytest -q -p no:cacheprovider test_vectors.py \
	  > ../../$(SOAK_LOGS)/python.log 2>&1 || { grep -vE '^[.sF]+ *(\[ *[0-9]+%\])?$$' ../../$(SOAK_LOGS)/python.log | tail -80; exit 1; }
	@tail -1 $(SOAK_LOGS)/python.log

soak-memory: tools-js build-js setup-python
	@for b in wasm native browser; do node tools/js/soak.mjs $$b $(SOAK_DECISIONS); done
	@$(PY) tools/python/soak.py $(SOAK_DECISIONS)
