"""The command line through its three front ends, compared byte for byte.

Runs every command (on the bundled data, on the fixtures in tests/cli/fixtures and on bad
inputs) through the Rust binary (target/release/tracesieve), `python -m tracesieve` (the
installed wheel) and `node pkg/bin/tracesieve.js` (the wasm build in pkg/wasm-cli); fails
when their stdout, stderr or exit codes differ, or when a command's exit code is not the
expected one. Also checks that `simulate` on the bundled data keeps what `make demo` keeps.

Usage: target/venv/bin/python tests/cli/front_ends.py   (from the repository root; `make test-cli`)
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIX = "tests/cli/fixtures"
POLICY = "examples/policy.json"
TRAFFIC = "examples/traffic.jsonl"

FRONT_ENDS = {
    "rust": [str(ROOT / "target/release/tracesieve")],
    "python": [sys.executable, "-m", "tracesieve"],
    "npm": ["node", str(ROOT / "pkg/bin/tracesieve.js")],
}

# (arguments, standard input or None, expected exit code)
COMMANDS = [
    ([], None, 2),
    (["help"], None, 0),
    (["--help"], None, 0),
    (["--version"], None, 0),
    (["frobnicate"], None, 2),
    (["help", "frobnicate"], None, 2),
    *[([cmd, "--help"], None, 0) for cmd in ["check", "explain", "simulate", "diff"]],
    *[(["help", cmd], None, 0) for cmd in ["check", "explain", "simulate", "diff"]],
    # check
    (["check", POLICY], None, 0),
    (["check", POLICY, f"{FIX}/new_policy.json"], None, 0),
    (["check"], None, 2),
    (["check", "--bogus", POLICY], None, 2),
    (["check", f"{FIX}/warnings.json"], None, 0),
    (["check", "--strict", f"{FIX}/warnings.json"], None, 1),
    (["check", f"{FIX}/bad_policy.json", f"{FIX}/bad_json.json", f"{FIX}/warnings.json", POLICY], None, 1),
    (["check", f"{FIX}/bad_policy.json", f"{FIX}/missing.json"], None, 2),
    (["check", "-"], '{"defaultRate": 0.5}', 0),
    (["check", "-"], '{"defaultRate": ', 1),
    (["check", FIX], None, 2),
    # explain
    (["explain", POLICY, f"{FIX}/context.json"], None, 0),
    (["explain", "--format", "json", POLICY, f"{FIX}/context.json"], None, 0),
    (["explain", "--sdk", "js", POLICY, f"{FIX}/context_js.json"], None, 0),
    (["explain", "--sdk=python", "--format=json", POLICY, f"{FIX}/context_python.json"], None, 0),
    (["explain", "--sdk", "rust", POLICY, f"{FIX}/context_rust.json"], None, 0),
    (["explain", POLICY, "-"], '{"sdk": "js", "context": {"name": "GET /healthz"}, "sampleRand": 0.5}', 0),
    (["explain", "--sdk", "go", POLICY, f"{FIX}/context.json"], None, 2),
    (["explain", POLICY, f"{FIX}/context_array.json"], None, 2),
    (["explain", POLICY, f"{FIX}/missing.json"], None, 2),
    (["explain", POLICY, "-"], "{not json", 2),
    (["explain", f"{FIX}/bad_policy.json", f"{FIX}/context.json"], None, 1),
    (["explain", POLICY], None, 2),
    # simulate
    (["simulate", POLICY, TRAFFIC], None, 0),
    (["simulate", "--format", "json", POLICY, TRAFFIC], None, 0),
    (["simulate", "--format", "html", POLICY, TRAFFIC], None, 0),
    (["simulate", POLICY, f"{FIX}/traffic_sdk.jsonl"], None, 0),
    (["simulate", "--format", "json", POLICY, f"{FIX}/traffic_sdk.jsonl"], None, 0),
    (["simulate", "--format", "html", POLICY, f"{FIX}/traffic_sdk.jsonl"], None, 0),
    (["simulate", POLICY, "-"], Path(ROOT / TRAFFIC).read_text(), 0),
    (["simulate", POLICY, f"{FIX}/traffic_bad_line.jsonl"], None, 2),
    (["simulate", POLICY, f"{FIX}/traffic_unknown_sdk.jsonl"], None, 2),
    (["simulate", POLICY, f"{FIX}/missing.jsonl"], None, 2),
    (["simulate", "--format", "xml", POLICY, TRAFFIC], None, 2),
    (["simulate", f"{FIX}/bad_json.json", TRAFFIC], None, 1),
    # diff
    (["diff", POLICY, f"{FIX}/new_policy.json", TRAFFIC], None, 0),
    (["diff", "--format", "json", "--examples", "3", POLICY, f"{FIX}/new_policy.json", TRAFFIC], None, 0),
    (["diff", POLICY, f"{FIX}/new_policy.json", f"{FIX}/traffic_bad_line.jsonl"], None, 2),
    (["diff", POLICY, f"{FIX}/bad_policy.json", TRAFFIC], None, 1),
    (["diff", POLICY, TRAFFIC], None, 2),
]

# `make demo`'s expected column for the bundled policy and traffic (core/examples/demo.rs).
DEMO_KEPT = {"genAi": 507, "health": 0, "payment": 158, "search": 2, "(parent)": 306, "(default)": 332}


def run(front_end, args, stdin):
    r = subprocess.run(FRONT_ENDS[front_end] + args, input=stdin, capture_output=True, cwd=ROOT)
    return r.returncode, r.stdout, r.stderr


def main():
    failures = []
    for args, stdin, code in COMMANDS:
        stdin_bytes = stdin.encode() if stdin is not None else b""
        results = {fe: run(fe, args, stdin_bytes) for fe in FRONT_ENDS}
        label = "tracesieve " + " ".join(args)
        rust = results["rust"]
        if rust[0] != code:
            failures.append(f"{label}: exit {rust[0]}, expected {code}\n{rust[2].decode()}")
        if code != 0 and not rust[2]:
            failures.append(f"{label}: exit {rust[0]} with nothing on standard error")
        for fe, got in results.items():
            for what, i in [("exit code", 0), ("stdout", 1), ("stderr", 2)]:
                if got[i] != rust[i]:
                    failures.append(f"{label}: {fe} {what} differs from rust:\n{got[i]!r:.400}\nvs\n{rust[i]!r:.400}")
    # simulate keeps what `make demo` keeps, step by step.
    code, out, _ = run("rust", ["simulate", "--format", "json", POLICY, TRAFFIC], b"")
    kept = {s["id"]: s["kept"] for s in json.loads(out)["steps"] if s["roots"]}
    if kept != DEMO_KEPT:
        failures.append(f"simulate kept {kept}, make demo keeps {DEMO_KEPT}")
    for column in sorted((ROOT / "target/demo").glob("*.json")):
        demo = json.loads(column.read_text())["kept"]
        if {k: v for k, v in demo.items() if v} != {k: v for k, v in kept.items() if v}:
            failures.append(f"simulate kept {kept}, {column.name} says {demo}")
    print(f"{len(COMMANDS)} commands through {len(FRONT_ENDS)} front ends ({', '.join(FRONT_ENDS)})")
    # In node:test's words, for scripts/test_summary.py: each command is one test.
    print(f"# pass {len(COMMANDS) + 1}" if not failures else f"# fail {len(failures)}")
    if failures:
        print(f"{len(failures)} failures:\n" + "\n".join(failures))
        return 1
    print("every output identical across front ends; exit codes as expected; simulate matches make demo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
