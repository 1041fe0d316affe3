# The Python package (bindings-python/): included by the top Makefile.
#
# setup-python makes target/venv, installs the pinned test dependencies (requirements-test.txt,
# and requirements-ai.txt: the AI client libraries of test_ai_integrations.py) and builds the
# test wheel with maturin into it; test-python runs pytest (tests/python) and mypy.stubtest
# against the installed wheel. The wheel is version-specific; PY_ABI3=1 builds the abi3 one.
# The test wheel has the `conformance` feature (`_core._decide`, for the vector runner);
# the shipped wheel (every other build) does not, and test-python checks that it has no
# such hook (target/python-shipped).

PY_VENV := target/venv
PY := $(PY_VENV)/bin/python
PY_WHEELS := target/wheels/python
PY_ABI3 ?= 0
PY_MATURIN := $(PY_VENV)/bin/maturin build --release -m bindings-python/Cargo.toml -i $(PY)
comma := ,
PY_MATURIN_FLAGS := --features $(if $(filter 1,$(PY_ABI3)),abi3$(comma),)conformance
PY_SHIPPED := target/python-shipped
PY_BENCH := target/bench-python

SETUP_TARGETS += setup-python
TEST_TARGETS += test-python
DEMO_TARGETS += demo-python
BENCH_TARGETS += bench-python

.PHONY: setup-python wheel-python wheel-python-shipped test-python demo-python bench-python wheel-python-portable

setup-python: ## Python: target/venv with the pinned test dependencies and the wheel (maturin)
	@test -x $(PY) || python3 -m venv $(PY_VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -r bindings-python/requirements-test.txt -r bindings-python/requirements-ai.txt
	@$(MAKE) --no-print-directory wheel-python

wheel-python: ## Python: build the test wheel (PY_ABI3=1: abi3) and install it into target/venv
	@rm -rf $(PY_WHEELS)
	@$(PY_MATURIN) $(PY_MATURIN_FLAGS) --quiet --out $(PY_WHEELS)
	@$(PY) -m pip install -q --disable-pip-version-check --force-reinstall --no-deps $(PY_WHEELS)/tracesieve-*.whl

wheel-python-shipped: ## Python: the wheel as published (no conformance feature), unpacked into target/python-shipped
	@rm -rf $(PY_SHIPPED) target/wheels/shipped
	@$(PY_MATURIN) --quiet --out target/wheels/shipped
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps --target $(PY_SHIPPED) target/wheels/shipped/*.whl

wheel-python-portable: ## Python: a portable abi3 manylinux2014 wheel through zig (pip install ziglang)
	@$(PY) -m pip install -q --disable-pip-version-check ziglang
	PATH="$(abspath $(PY_VENV))/bin:$$PATH" $(PY_MATURIN) --features abi3 --zig --compatibility manylinux2014 --out target/wheels/portable

test-python: differential-cases rust-canonical wheel-python-shipped ## Python: vectors, sentry-sdk, Flask, FastAPI and AI-integration tests against the installed wheel; stubtest
	@mkdir -p $(TEST_LOGS)
	cd tests/python && TRACESIEVE_SHIPPED_PYTHON=$(abspath $(PY_SHIPPED)) ../../$(PY) -m pytest -p no:cacheprovider 2>&1 | tee ../../$(TEST_LOGS)/python.log
	$(PY) -m mypy.stubtest tracesieve --ignore-missing-stub 2>&1 | tee $(TEST_LOGS)/python-stubtest.txt

demo-python: setup-python ## Python: the demo's column through the real sentry-sdk (target/demo/python.json)
	$(PY) tools/python/demo.py

bench-python: setup-python ## Python: TracesSampler (abi3 and version-specific) vs the seed's hand-written traces_sampler
	@rm -rf $(PY_BENCH) target/wheels/bench-*
	@$(PY_MATURIN) --features abi3 --quiet --out target/wheels/bench-abi3
	@$(PY_MATURIN) --quiet --out target/wheels/bench-native
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps --target $(PY_BENCH)/abi3 target/wheels/bench-abi3/*.whl
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps --target $(PY_BENCH)/native target/wheels/bench-native/*.whl
	$(PY) tools/python/bench.py $(PY_BENCH)/abi3 $(PY_BENCH)/native
