"""Checks every package of target/dist/ (`make dist`, run by `make test`).

Each archive must carry both licenses (the repository's files, byte for byte) and the policy
schema at the place its users look, and complete metadata. The npm tarball and the wheel
are then installed afresh (an empty npm project, a new venv) and decide a policy that names
its "$schema". Prints each artifact's name and size.

The Python wheels are those scripts/python_wheels.py names (three abi3 ones, one per CPython
found): each one's tags (file name and WHEEL), its extension's ELF machine and glibc symbol
versions (none for musl), `auditwheel show` for the manylinux ones, and no test hook.
"""

import gzip
import json
import pathlib
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from email.parser import Parser
from typing import Dict, List

import pytest

from python_wheels import CPython, Wheel, cpythons, expected_wheels, glibc_versions, read_elf

REPO = pathlib.Path(__file__).resolve().parents[1]
DIST = REPO / "target" / "dist"
LICENSES = {name: (REPO / name).read_bytes() for name in ("LICENSE-MIT", "LICENSE-APACHE")}
SCHEMA = (REPO / "docs" / "policy.schema.json").read_bytes()
SCHEMA_URL = "https://raw.githubusercontent.com/tracesieve/tracesieve/main/docs/policy.schema.json"
VERSION = json.loads((REPO / "pkg" / "package.json").read_text())["version"]
REPOSITORY = "https://github.com/tracesieve/tracesieve"

# Each kind of artifact: its file name, and where its licenses and its schema sit inside.
KINDS = {
    "crate": (f"tracesieve-{VERSION}.crate", f"tracesieve-{VERSION}/", f"tracesieve-{VERSION}/policy.schema.json"),
    "npm": (f"tracesieve-{VERSION}.tgz", "package/", "package/policy.schema.json"),
    "sdist": (
        f"tracesieve-{VERSION}.tar.gz",
        f"tracesieve-{VERSION}/",
        f"tracesieve-{VERSION}/python/tracesieve/policy.schema.json",
    ),
    "wheel": (f"tracesieve-{VERSION}-*.whl", f"tracesieve-{VERSION}.dist-info/licenses/", "tracesieve/policy.schema.json"),
}
# --- Python: every wheel that must be in target/dist (names and expectations) ---
WHEELS = expected_wheels(VERSION, cpythons())
# Each artifact's kind and file name: one of each kind, the wheels by name.
ARTIFACTS = [(k, KINDS[k][0]) for k in KINDS if k != "wheel"] + [("wheel", w.name) for w in WHEELS]
# --- end Python ---


def artifact(kind: str) -> pathlib.Path:
    found = sorted(DIST.glob(KINDS[kind][0]))
    assert len(found) == 1, f"expected one {KINDS[kind][0]} in {DIST}, found {[p.name for p in found]}"
    return found[0]


def members(path: pathlib.Path) -> Dict[str, bytes]:
    """Every regular file of a .whl (zip) or a .crate/.tgz/.tar.gz (gzipped tar), by path."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    with tarfile.open(path) as t:
        return {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}  # type: ignore[union-attr]


def test_print_the_artifacts() -> None:
    found = sorted(DIST.iterdir())
    for p in found:
        print(f"dist: {p.name} {p.stat().st_size} bytes", file=sys.stderr)
    assert sorted(p.name for p in found) == sorted(name for _, name in ARTIFACTS)


@pytest.mark.parametrize("kind,name", ARTIFACTS)
def test_carries_both_licenses_and_the_schema(kind: str, name: str) -> None:
    files = members(DIST / name)
    _, license_dir, schema = KINDS[kind]
    for name, text in LICENSES.items():
        assert files.get(license_dir + name) == text, f"{kind}: {license_dir}{name} missing or not the repository's"
    assert files.get(schema) == SCHEMA, f"{kind}: {schema} missing or not docs/policy.schema.json"


# --- Python: the wheels' and the sdist's metadata, tags and libraries ---
PYTHON_METADATA = [(w.name, f"tracesieve-{VERSION}.dist-info/METADATA") for w in WHEELS] + [(KINDS["sdist"][0], "PKG-INFO")]


@pytest.mark.parametrize("name,metadata", PYTHON_METADATA)
def test_python_metadata(name: str, metadata: str) -> None:
    files = members(DIST / name)
    path = next(p for p in files if p == metadata or p.endswith("/" + metadata))
    meta = Parser().parsestr(files[path].decode())
    assert meta["License-Expression"] == "MIT OR Apache-2.0"
    assert sorted(meta.get_all("License-File") or []) == ["LICENSE-APACHE", "LICENSE-MIT"]
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    assert urls.get("Repository") == REPOSITORY and "Issues" in urls and "Documentation" in urls
    classifiers = meta.get_all("Classifier") or []
    for minor in range(9, 14):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert meta["Requires-Python"] == ">=3.9"


def file_name_tags(name: str) -> List[str]:
    """The tags a wheel's file name stands for: `py-abi-plat1.plat2` is one tag per platform."""
    python, abi, platforms = name.removesuffix(".whl").split("-")[2:]
    return [f"{python}-{abi}-{platform}" for platform in platforms.split(".")]


@pytest.mark.parametrize("wheel", WHEELS, ids=[w.name for w in WHEELS])
def test_wheel_tags_and_library(wheel: Wheel) -> None:
    """The tags agree (file name, WHEEL); the one extension is for its machine and C library."""
    files = members(DIST / wheel.name)
    info = Parser().parsestr(files[f"tracesieve-{VERSION}.dist-info/WHEEL"].decode())
    assert sorted(info.get_all("Tag") or []) == sorted(wheel.tags) == sorted(file_name_tags(wheel.name))
    assert info["Root-Is-Purelib"] == "false"
    assert [n for n in files if n.endswith(".so")] == [wheel.library]
    library = files[wheel.library]
    elf = read_elf(library)
    assert elf.machine == wheel.machine, f"{wheel.library} is for {elf.machine}"
    glibc = glibc_versions(elf)
    if wheel.libc == "glibc":
        assert "libc.so.6" in elf.needed and glibc, f"{wheel.name}: not linked against glibc: {elf.needed}"
        assert max(glibc) <= (2, 17), f"{wheel.name} needs glibc {max(glibc)}, manylinux2014 allows 2.17"
    else:
        assert "libc.so" in elf.needed and "libc.so.6" not in elf.needed, f"{wheel.name}: not musl: {elf.needed}"
        assert not any(v.startswith("GLIBC") for v in elf.versions), f"{wheel.name} needs glibc: {sorted(elf.versions)}"
    # The conformance runner's hook is a pyo3 method name in the test wheel only.
    assert b"_decide\0" not in library, f"{wheel.name} has the conformance hook `_core._decide`"


@pytest.mark.parametrize("wheel", [w for w in WHEELS if w.libc == "glibc"], ids=lambda w: w.name)
def test_auditwheel_agrees_with_the_manylinux_tags(wheel: Wheel) -> None:
    shown = " ".join(run(sys.executable, "-m", "auditwheel", "show", str(DIST / wheel.name), cwd=REPO).split())
    assert f'consistent with the following platform tag: "manylinux_2_17_{wheel.machine}"' in shown, shown
# --- end Python ---


def test_npm_package_json() -> None:
    manifest = json.loads(members(artifact("npm"))["package/package.json"])
    assert manifest["license"] == "MIT OR Apache-2.0"
    # The form `npm publish` would otherwise rewrite (with a warning).
    assert manifest["repository"]["url"] == f"git+{REPOSITORY}.git"
    assert manifest["exports"]["./policy.schema.json"] == "./policy.schema.json"


def export_targets(node: object) -> List[str]:
    """Every file an `exports` value points at, under every condition."""
    if isinstance(node, str):
        return [node]
    assert isinstance(node, dict), node
    return [t for value in node.values() for t in export_targets(value)]


def test_npm_tarball_carries_every_export_and_each_wasm_module_once() -> None:
    files = members(artifact("npm"))
    manifest = json.loads(files["package/package.json"])
    for subpath, value in manifest["exports"].items():
        assert not any(hook in subpath for hook in ("conformance", "_vectors", "_compile")), subpath
        for target in export_targets(value):
            assert "package/" + target.removeprefix("./") in files, f"exports[{subpath!r}]: {target} not in the tarball"
    assert "package/" + manifest["bin"]["tracesieve"] in files
    assert "package/index.d.cts" in files and "export default" not in files["package/index.d.cts"].decode()
    wasm = sorted(p for p in files if p.endswith(".wasm") and not p.startswith("package/wasm-cli/"))
    assert wasm == ["package/wasm/browser.wasm", "package/wasm/full.wasm"]
    for name in ("index.d.ts", "index.d.cts"):
        assert "_vectors" not in files["package/" + name].decode() and "conformance" not in files["package/" + name].decode()
    for p in sorted(p for p in files if p.endswith((".wasm", ".node"))):
        print(f"npm tarball: {p} {len(files[p])} bytes, {len(gzip.compress(files[p], 9))} gzipped", file=sys.stderr)


def test_crate_has_its_own_readme_and_the_policy_reference() -> None:
    files = members(artifact("crate"))
    root = f"tracesieve-{VERSION}/"
    assert files[root + "README.md"] == (REPO / "core" / "README.md").read_bytes()
    assert files[root + "policy.md"] == (REPO / "docs" / "policy.md").read_bytes()
    manifest = files[root + "Cargo.toml"].decode()
    assert 'readme = "README.md"' in manifest and 'license = "MIT OR Apache-2.0"' in manifest


def run(*args: str, cwd: pathlib.Path) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_npm_tarball_installs_and_decides() -> None:
    """An empty project installs the tarball; the schema and the sampler load by package name."""
    with tempfile.TemporaryDirectory() as tmp:
        project = pathlib.Path(tmp)
        (project / "package.json").write_text('{ "name": "clean", "private": true, "type": "module" }')
        run("npm", "install", "--no-audit", "--no-fund", "--offline", str(artifact("npm")), cwd=project)
        script = f"""
            import schema from 'tracesieve/policy.schema.json' with {{ type: 'json' }};
            import tracesieve, {{ createTracesSampler }} from 'tracesieve';
            import {{ createRequire }} from 'node:module';
            const sampler = createTracesSampler({{ $schema: '{SCHEMA_URL}', defaultRate: 0.25 }});
            const wasm = createRequire(import.meta.url).resolve('tracesieve/wasm/full.wasm');
            console.log(JSON.stringify({{ id: schema.$id, rate: sampler({{ name: 'GET /x' }}),
              default: tracesieve.createTracesSampler === createTracesSampler, wasm: wasm.endsWith('/wasm/full.wasm') }}));
        """
        out = json.loads(run("node", "--no-warnings", "--input-type=module", "-e", script, cwd=project))
        assert out == {"id": SCHEMA_URL, "rate": 0.25, "default": True, "wasm": True}


# --- Python: the wheels this interpreter can install (scripts/test_wheels.py runs every CPython) ---
HERE = CPython(sys.version_info[:2], pathlib.Path(sys.executable))


@pytest.mark.parametrize("wheel", [w for w in WHEELS if w.runs_on(HERE)], ids=lambda w: w.name)
def test_wheel_installs_and_decides(wheel: Wheel) -> None:
    """A new venv installs the wheel alone; the schema is package data; a "$schema" policy decides."""
    with tempfile.TemporaryDirectory() as tmp:
        venv = pathlib.Path(tmp) / "venv"
        run(sys.executable, "-m", "venv", str(venv), cwd=REPO)
        python = str(venv / "bin" / "python")
        run(python, "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(DIST / wheel.name), cwd=REPO)
        script = f"""
import importlib.resources, json, tracesieve
schema = json.loads(importlib.resources.files("tracesieve").joinpath("policy.schema.json").read_text())
sampler = tracesieve.TracesSampler({{"$schema": "{SCHEMA_URL}", "defaultRate": 0.25}})
print(json.dumps({{"id": schema["$id"], "rate": sampler({{"transaction_context": {{"name": "x"}}}})}}))
"""
        out = json.loads(run(python, "-c", script, cwd=pathlib.Path(tmp)))
        assert out == {"id": SCHEMA_URL, "rate": 0.25}
# --- end Python ---
