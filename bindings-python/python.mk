# The Python package (bindings-python/): included by the top Makefile.
#
# setup-python makes target/venv, installs the pinned test dependencies (requirements-test.txt,
# and requirements-ai.txt: the AI client libraries of test_ai_integrations.py) and builds the
# test wheel with maturin into it; test-python runs pytest (tests/python) and mypy.stubtest
# against the installed wheel. The wheel is version-specific; PY_ABI3=1 builds the abi3 one.
# The test wheel has the `conformance` feature (`_core._decide`, for the vector runner);
# the shipped wheel (every other build) does not, and test-python checks that it has no
# such hook (target/python-shipped).
#
# wheels-python builds the published wheels into target/wheels/dist through zig (no Docker;
# setup-zig's zig): abi3 (CPython 3.9+) for manylinux2014 x86_64 and
# aarch64 and musllinux_1_2 x86_64, and a version-specific manylinux2014 x86_64 wheel for
# each CPython >= 3.9 that scripts/python_wheels.py finds (pyenv's and python3). They share
# target/ and rebuild only when a source changes (a stamp file). test-python-wheels runs the
# suite against each x86_64 one in a venv of each of those CPythons (scripts/test_wheels.py);
# `make dist` checks them all (scripts/test_dist.py).

PY_VENV := target/venv
PY := $(PY_VENV)/bin/python
PY_WHEELS := target/wheels/python
PY_ABI3 ?= 0
PY_MATURIN := $(PY_VENV)/bin/maturin build --release -m bindings-python/Cargo.toml -i $(PY)
comma := ,
PY_MATURIN_FLAGS := --features $(if $(filter 1,$(PY_ABI3)),abi3$(comma),)conformance
PY_SHIPPED := target/python-shipped
PY_BENCH := target/bench-python
PY_DIST_WHEELS := target/wheels/dist
PY_ZIG_MATURIN := $(ZIG_PATH) $(PY_VENV)/bin/maturin build --release \
  -m bindings-python/Cargo.toml --zig --quiet --out $(PY_DIST_WHEELS)
PY_WHEEL_SOURCES := $(shell find core cli bindings-python -type f -not -name '*.pyc') Cargo.toml Cargo.lock \
  LICENSE-MIT LICENSE-APACHE scripts/python_wheels.py
PY_WHEEL_TARGETS := aarch64-unknown-linux-gnu x86_64-unknown-linux-musl

SETUP_TARGETS += setup-python
TEST_TARGETS += test-python test-python-wheels
DEMO_TARGETS += demo-python
BENCH_TARGETS += bench-python

.PHONY: setup-python venv-python wheel-python wheel-python-shipped wheels-python test-python test-python-wheels demo-python bench-python

setup-python: venv-python ## Python: target/venv with the pinned test dependencies and the wheel (maturin)
	@rustup -q target add $(PY_WHEEL_TARGETS)
	@$(MAKE) --no-print-directory wheel-python

venv-python:
	@test -x $(PY) || python3 -m venv $(PY_VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -r bindings-python/requirements-test.txt -r bindings-python/requirements-ai.txt

wheel-python: ## Python: build the test wheel (PY_ABI3=1: abi3) and install it into target/venv
	@rm -rf $(PY_WHEELS)
	@$(PY_MATURIN) $(PY_MATURIN_FLAGS) --quiet --out $(PY_WHEELS)
	@$(PY) -m pip install -q --disable-pip-version-check --force-reinstall --no-deps $(PY_WHEELS)/tracesieve-*.whl

# The published wheel of target/venv's CPython (wheels-python), not another build of it.
wheel-python-shipped: wheels-python ## Python: the wheel as published (no conformance feature), unpacked into target/python-shipped
	@rm -rf $(PY_SHIPPED)
	@cp=$$($(PY) -c 'import sys; print("cp%d%d" % sys.version_info[:2])') && \
	  $(PY) -m pip install -q --disable-pip-version-check --no-deps --target $(PY_SHIPPED) $(PY_DIST_WHEELS)/tracesieve-*-$$cp-$$cp-*.whl

wheels-python: $(PY_DIST_WHEELS)/.built ## Python: every published wheel into target/wheels/dist (abi3 x86_64/aarch64/musl, one per CPython)

# The interpreters are listed when the recipe runs: finding none fails the build.
$(PY_DIST_WHEELS)/.built: $(PY_WHEEL_SOURCES) | venv-python setup-zig
	@rustup -q target add $(PY_WHEEL_TARGETS)
	@rm -rf $(PY_DIST_WHEELS)
	$(PY_ZIG_MATURIN) --features abi3 --compatibility manylinux2014
	$(PY_ZIG_MATURIN) --features abi3 --compatibility manylinux2014 --target aarch64-unknown-linux-gnu
	$(PY_ZIG_MATURIN) --features abi3 --compatibility musllinux_1_2 --target x86_64-unknown-linux-musl
	interpreters="$$($(PY) scripts/python_wheels.py interpreters)" && \
	  $(PY_ZIG_MATURIN) --compatibility manylinux2014 $$(printf -- '-i %s ' $$interpreters)
	@touch $@

test-python-wheels: wheels-python differential-cases ## Python: the suite against each x86_64 wheel in a venv of each CPython >= 3.9
	@mkdir -p $(TEST_LOGS)
	$(PY) -m pytest -p no:cacheprovider -s scripts/test_wheels.py 2>&1 | tee $(TEST_LOGS)/python-wheels.log

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
