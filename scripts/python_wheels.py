"""The shipped Python wheels: which CPythons this machine has, which wheels `make
wheels-python` must build, and what each wheel's shared library must look like.

Used by bindings-python/python.mk (`python3 scripts/python_wheels.py interpreters` prints
the interpreters to build version-specific wheels for, one per line), by scripts/test_dist.py
(tags, ELF machine, glibc symbol versions of every wheel) and by scripts/test_wheels.py (the
Python suite against each x86_64 wheel in a fresh venv of each CPython).

The CPythons are every `$PYENV_ROOT/versions/X.Y.Z` (default `~/.pyenv`) from 3.9 on, newest
patch release per minor version, plus the `python3` running this script (its base
interpreter, not a venv's); there must be at least that one.
"""

import dataclasses
import os
import pathlib
import re
import subprocess
import sys
from typing import Dict, List, Optional, Tuple

MINIMUM = (3, 9)
# The abi3 wheels: (platform tags in the WHEEL file, ELF machine, C library).
ABI3 = {
    "manylinux2014_x86_64.manylinux_2_17_x86_64": (("manylinux2014_x86_64", "manylinux_2_17_x86_64"), "x86_64", "glibc"),
    "manylinux2014_aarch64.manylinux_2_17_aarch64": (("manylinux2014_aarch64", "manylinux_2_17_aarch64"), "aarch64", "glibc"),
    "musllinux_1_2_x86_64": (("musllinux_1_2_x86_64",), "x86_64", "musl"),
}
# Highest glibc symbol version a manylinux2014 (glibc 2.17) library may need.
MANYLINUX2014_GLIBC = (2, 17)
ELF_MACHINES = {0x3E: "x86_64", 0xB7: "aarch64"}


@dataclasses.dataclass(frozen=True)
class CPython:
    """One interpreter: its `(major, minor)` version and its executable."""

    version: Tuple[int, int]
    path: pathlib.Path

    @property
    def tag(self) -> str:
        """The wheel tag of this version, `cp39`."""
        return f"cp{self.version[0]}{self.version[1]}"


@dataclasses.dataclass(frozen=True)
class Wheel:
    """A wheel `make wheels-python` builds: its file name and what it must contain."""

    name: str
    tags: Tuple[str, ...]  # every `Tag:` line of its WHEEL file
    library: str  # the extension module's path inside the wheel
    machine: str  # "x86_64" or "aarch64"
    libc: str  # "glibc" (manylinux2014) or "musl" (musllinux_1_2)
    cpython: Optional[Tuple[int, int]]  # the one CPython it is for, None for abi3

    def runs_on(self, python: CPython) -> bool:
        """Whether this machine (x86_64 glibc) can install the wheel into `python`."""
        glibc_x86 = self.machine == "x86_64" and self.libc == "glibc"
        return glibc_x86 and self.cpython in (None, python.version)


def interpreter_version(path: pathlib.Path) -> Tuple[int, int]:
    """The `(major, minor)` of a CPython executable, asked to the interpreter itself."""
    probe = "import platform, sys; assert platform.python_implementation() == 'CPython'; print(*sys.version_info[:2])"
    out = subprocess.run([str(path), "-c", probe], check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1])


def system_cpython() -> CPython:
    """The base interpreter of the running `python3` (outside any venv)."""
    base = pathlib.Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return CPython(sys.version_info[:2], base if base.exists() else pathlib.Path(sys.executable))


def cpythons() -> List[CPython]:
    """Every CPython >= 3.9 under pyenv (newest patch per minor) and the system one, by version."""
    root = pathlib.Path(os.environ.get("PYENV_ROOT", pathlib.Path.home() / ".pyenv")) / "versions"
    found: Dict[Tuple[int, int], Tuple[Tuple[int, ...], pathlib.Path]] = {}
    for directory in root.glob("*") if root.is_dir() else []:
        if not re.fullmatch(r"\d+\.\d+\.\d+", directory.name):
            continue  # pypy3.10-7.3.x, miniconda..., X.Y-dev: not a CPython release
        release = tuple(int(n) for n in directory.name.split("."))
        executable = directory / "bin" / f"python{release[0]}.{release[1]}"
        if release[:2] >= MINIMUM and executable.exists() and release > found.get(release[:2], ((0,), executable))[0]:
            found[release[:2]] = (release, executable)
    out = [CPython(interpreter_version(path), path) for _, path in found.values()]
    system = system_cpython()
    if system.version >= MINIMUM and system.version not in {p.version for p in out}:
        out.append(system)
    if not out:
        raise SystemExit(f"no CPython >= 3.9: none under {root} and python3 is {sys.version.split()[0]}")
    return sorted(out, key=lambda p: p.version)


def expected_wheels(version: str, pythons: List[CPython]) -> List[Wheel]:
    """The wheels of package `version`: the three abi3 ones, a version-specific one per CPython."""
    out = [
        Wheel(f"tracesieve-{version}-cp39-abi3-{platform}.whl", tuple(f"cp39-abi3-{t}" for t in tags),
              "tracesieve/_core.abi3.so", machine, libc, None)
        for platform, (tags, machine, libc) in ABI3.items()
    ]
    tags, machine, libc = ABI3["manylinux2014_x86_64.manylinux_2_17_x86_64"]
    for python in pythons:
        cp = python.tag
        library = f"tracesieve/_core.cpython-{cp[2:]}-x86_64-linux-gnu.so"
        out.append(Wheel(f"tracesieve-{version}-{cp}-{cp}-manylinux2014_x86_64.manylinux_2_17_x86_64.whl",
                         tuple(f"{cp}-{cp}-{t}" for t in tags), library, machine, libc, python.version))
    return out


def main(argv: List[str]) -> int:
    if argv != ["interpreters"]:
        print("usage: python3 scripts/python_wheels.py interpreters", file=sys.stderr)
        return 2
    pythons = cpythons()
    print("CPythons: " + ", ".join(f"{p.version[0]}.{p.version[1]} ({p.path})" for p in pythons), file=sys.stderr)
    for python in pythons:
        print(python.path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
