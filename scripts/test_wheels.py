"""Each x86_64 wheel of target/wheels/dist in a venv of each CPython >= 3.9 (`make
test-python-wheels`, run by `make test`): the Python suite against the installed wheel.

For every CPython that scripts/python_wheels.py finds (pyenv's and the system one), a venv
under target/wheel-venvs/ with tests/python/wheels/requirements.txt, reused while the
requirements and the interpreter stay the same; into it, afresh for each run, the abi3
manylinux2014 wheel and then the interpreter's own version-specific wheel. The suite is what
needs no test hook: test_api, test_sentry_sdk (the real sentry-sdk), test_hostile,
test_threads and tests/python/wheels/public_vectors.py (the Python-shaped vector and
differential cases through the public API). The framework and AI-integration tests stay on
the main venv (`make test-python`). Prints each CPython and each run's result.
"""

import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
from typing import Dict, Optional

import pytest

from python_wheels import CPython, Wheel, cpythons, expected_wheels, system_cpython

REPO = pathlib.Path(__file__).resolve().parents[1]
WHEELS = REPO / "target" / "wheels" / "dist"
VENVS = REPO / "target" / "wheel-venvs"
TESTS = REPO / "tests" / "python"
REQUIREMENTS = TESTS / "wheels" / "requirements.txt"
VERSION = re.search(r'^version = "(.*)"', (REPO / "Cargo.toml").read_text(), re.M)[1]  # type: ignore[index]
SUITE = ["test_api.py", "test_sentry_sdk.py", "test_hostile.py", "test_threads.py", "wheels/public_vectors.py"]
# It compares the test wheel (conformance hook) with the shipped one; here the hook's absence
# is checked on the installed wheel itself.
TEST_WHEEL_ONLY = "test_api.py::test_the_shipped_wheel_and_the_public_stub_have_no_test_hooks"

PYTHONS = cpythons()
RUNS = [(p, w) for p in PYTHONS for w in expected_wheels(VERSION, PYTHONS) if w.runs_on(p)]


def run(*args: object, cwd: pathlib.Path = REPO, env: Optional[Dict[str, str]] = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def venv_for(python: CPython) -> pathlib.Path:
    """The interpreter's venv with the requirements, made once per requirements and interpreter."""
    key = hashlib.sha256(REQUIREMENTS.read_bytes() + str(python.path.resolve()).encode()).hexdigest()[:12]
    venv = VENVS / f"{python.tag}-{key}"
    complete = venv / "requirements-installed"
    if not complete.exists():
        shutil.rmtree(venv, ignore_errors=True)
        run(python.path, "-m", "venv", venv)
        run(venv / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", REQUIREMENTS)
        complete.write_text("")
    return venv


def test_every_cpython_from_3_9_is_found() -> None:
    found = ", ".join(f"{p.version[0]}.{p.version[1]} ({p.path})" for p in PYTHONS)
    print(f"CPythons tested: {found}", file=sys.stderr)
    assert system_cpython().version in [p.version for p in PYTHONS], f"python3 itself is not among {found}"
    assert all(p.version >= (3, 9) for p in PYTHONS)
    # Each CPython gets the abi3 wheel and its own.
    assert len(RUNS) == 2 * len(PYTHONS), [f"{p.tag} {w.name}" for p, w in RUNS]


@pytest.mark.parametrize("python,wheel", RUNS, ids=[f"{p.tag}-{'abi3' if w.cpython is None else p.tag}" for p, w in RUNS])
def test_the_suite_passes_against_the_installed_wheel(python: CPython, wheel: Wheel) -> None:
    venv = venv_for(python)
    py = venv / "bin" / "python"
    run(py, "-m", "pip", "uninstall", "-q", "-y", "tracesieve")
    run(py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index", "--no-deps", WHEELS / wheel.name)
    probe = "import sys; from tracesieve import _core; print(_core.__file__); print(hasattr(_core, '_decide')); print(*sys.version_info[:2])"
    where, hook, version = run(py, "-c", probe, cwd=TESTS).splitlines()
    assert where == str(venv / "lib" / f"python{python.version[0]}.{python.version[1]}" / "site-packages" / wheel.library), where
    assert hook == "False", f"{wheel.name} has the conformance hook `_core._decide`"
    assert version == f"{python.version[0]} {python.version[1]}"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [str(py), "-m", "pytest", "-p", "no:cacheprovider", "-q", *SUITE, "--deselect", TEST_WHEEL_ONLY],
        cwd=TESTS, env=env, capture_output=True, text=True, timeout=900,
    )
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "(no output)"
    print(f"{python.tag} ({python.path}) with {wheel.name}: {last}", file=sys.stderr)
    assert done.returncode == 0, f"{wheel.name} on {python.path}:\n{done.stdout[-8000:]}\n{done.stderr[-3000:]}"
    assert re.fullmatch(r"\d+ passed, 1 deselected in [\d.]+s( \(.*\))?", last), last
