# The Python package (bindings-python/): included by the top Makefile.
#
# setup-python makes target/venv, installs the pinned test dependencies and builds the
# wheel with maturin into it; test-python runs pytest (tests/python) and mypy.stubtest
# against the installed wheel. PY_ABI3=0 builds a version-specific wheel instead of abi3.

PY_VENV := target/venv
PY := $(PY_VENV)/bin/python
PY_WHEELS := target/wheels/python
PY_ABI3 ?= 1
PY_MATURIN_FLAGS := --release -m bindings-python/Cargo.toml -i $(PY) $(if $(filter 0,$(PY_ABI3)),--no-default-features,)

SETUP_TARGETS += setup-python
TEST_TARGETS += test-python
DEMO_TARGETS += demo-python
BENCH_TARGETS += bench-python

.PHONY: setup-python wheel-python test-python demo-python bench-python wheel-python-portable

setup-python: ## Python: target/venv with the pinned test dependencies and the wheel (maturin)
	@test -x $(PY) || python3 -m venv $(PY_VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -r bindings-python/requirements-test.txt
	@$(MAKE) --no-print-directory wheel-python

wheel-python: ## Python: build the wheel (abi3 unless PY_ABI3=0) and install it into target/venv
	@rm -rf $(PY_WHEELS)
	$(PY_VENV)/bin/maturin build $(PY_MATURIN_FLAGS) --out $(PY_WHEELS) 2>&1 | grep -E "Built wheel|error|warning" || true
	@$(PY) -m pip install -q --disable-pip-version-check --force-reinstall --no-deps $(PY_WHEELS)/tracesieve-*.whl

wheel-python-portable: ## Python: a manylinux2014 wheel (needs `pip install ziglang`, about 25 s)
	@$(PY) -m pip install -q --disable-pip-version-check ziglang
	$(PY_VENV)/bin/maturin build $(PY_MATURIN_FLAGS) --zig --compatibility manylinux2014 --out target/wheels/portable

test-python: ## Python: vectors, sentry-sdk, Flask and FastAPI tests against the installed wheel; stubtest
	@mkdir -p $(TEST_LOGS)
	cd tests/python && ../../$(PY) -m pytest -p no:cacheprovider 2>&1 | tee ../../$(TEST_LOGS)/python.log
	$(PY) -m mypy.stubtest tracesieve --ignore-missing-stub 2>&1 | tee $(TEST_LOGS)/python-stubtest.txt

demo-python: ## Python: the demo's column through the real sentry-sdk (target/demo/python.json)
	$(PY) tests/python/demo.py

bench-python: ## Python: TracesSampler vs the seed's hand-written traces_sampler, same contexts, one table
	$(PY) tests/python/bench.py
