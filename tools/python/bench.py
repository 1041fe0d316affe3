"""`make bench-python`: TracesSampler against the seed's hand-written traces_sampler, per
call, on the same 10,000 sampling contexts recorded from the real sentry-sdk.

The contexts are the bundled traffic (examples/traffic.jsonl, cycled to 10,000 roots) as
sentry-sdk 2.75 passes them to traces_sampler. The hand-written function is the seed's
"HTTP routes that serve AI features" sampler, verbatim; "equivalent policy" is its
translation (tests/vectors/seeds.json, aiRoutesPy: the same answer for every context,
checked here). Each timing runs in this one process: the best of REPEATS passes over the
10,000 contexts (CPU time of this thread, so that other processes on a busy machine do
not count), divided by 10,000.

Usage: bench.py [SITE_DIR ...]: with directories (each an installed wheel, e.g. abi3 and a
version-specific build), runs itself once per directory and prints one table. The exit
status is 1 when a build other than `abi3` misses the target (the wheel `make` builds is
version-specific; the abi3 column is there to choose with numbers).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List

# The traffic and its helpers are shared with the tests.
TEST_HELPERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "python")
N = 10_000
REPEATS = 21
BASELINE = "hand-written (seed)"


def traces_sampler(sampling_context):  # type: ignore[no-untyped-def]
    """The seed's hand-written sampler (Sentry docs, "Sample HTTP Routes That Serve AI Features")."""
    tx_context = sampling_context.get("transaction_context", {})
    attributes = tx_context.get("data") or {}
    op = tx_context.get("op", "")
    name = tx_context.get("name", "")

    # Standalone gen_ai root spans
    if attributes.get("gen_ai.operation.name"):
        return 1.0

    # HTTP routes that serve AI features
    if op == "http.server" and any(
        p in name for p in ["/api/chat", "/api/agent", "/api/generate"]
    ):
        return 1.0

    # Honor parent decision in distributed traces
    parent = sampling_context.get("parent_sampled")
    if parent is not None:
        return float(parent)

    return 0.2


def per_call_ns(fns: Dict[str, Callable[[Any], Any]], contexts: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Per function: the best pass (ns per call) and the median, over rounds, of its pass
    time divided by the hand-written function's in the same round. Passes are interleaved
    so that every function sees the same machine; the paired ratio is what the target is
    judged on (a busy machine moves both sides of a pair together)."""
    passes: Dict[str, List[int]] = {name: [] for name in fns}
    for _ in range(REPEATS):
        for name, fn in fns.items():
            start = time.thread_time_ns()
            for c in contexts:
                fn(c)
            passes[name].append(time.thread_time_ns() - start)
    base = passes[BASELINE]
    return {
        name: {
            "ns": min(p) / len(contexts),
            "ratio": statistics.median(t / b for t, b in zip(p, base)),
        }
        for name, p in passes.items()
    }


def measure() -> Dict[str, Any]:
    sys.path.insert(0, TEST_HELPERS)
    import traffic
    import tracesieve

    seeds = json.loads((traffic.REPO / "tests" / "vectors" / "seeds.json").read_text())["policies"]
    lines = traffic.lines()
    contexts = traffic.sampling_contexts([lines[i % len(lines)] for i in range(N)])
    assert len(contexts) == N
    equivalent = tracesieve.TracesSampler(seeds["aiRoutesPy"])
    differ = sum(1 for c in contexts if equivalent(c) != traces_sampler(c))
    assert differ == 0, f"the equivalent policy differs from the seed on {differ} contexts"
    rows = per_call_ns({
        BASELINE: traces_sampler,
        "equivalent policy": tracesieve.TracesSampler(seeds["aiRoutesPy"]),
        "genAi routes policy": tracesieve.TracesSampler(seeds["aiRoutesProduct"]),
        "bundled policy": tracesieve.TracesSampler(traffic.POLICY),
    }, contexts)
    import tracesieve._core as core
    return {"build": os.path.basename(core.__file__), "rows": rows}


def main(dirs: List[str]) -> int:
    if not dirs:
        results = [measure()]
    else:
        results = []
        for d in dirs:
            env = dict(os.environ, PYTHONPATH=os.pathsep.join([d, TEST_HELPERS]))
            out = subprocess.run([sys.executable, __file__, "--json"], env=env, check=True,
                                 capture_output=True, text=True).stdout
            result = json.loads(out)
            result["so"] = result["build"]
            result["build"] = os.path.basename(d.rstrip("/"))
            results.append(result)
    print(f"{N:,} sentry-sdk sampling contexts (examples/traffic.jsonl), Python {sys.version.split()[0]}, "
          f"{REPEATS} interleaved rounds.\nbest: the fastest pass, ns per call; best/best: that over the "
          f"hand-written function's fastest pass; paired: the median over rounds of the pass time over\n"
          f"the hand-written function's pass in the same round (it includes the garbage collections the "
          f"hand-written function's per-call allocations trigger)\n")
    names = list(results[0]["rows"])
    header = f"{'sampler':<22}" + "".join(f"{r['build'] + ': best, best/best, paired':>40}" for r in results)
    print(header)
    met = True
    for name in names:
        cells = []
        for r in results:
            row = r["rows"][name]
            best = row["ns"] / r["rows"][BASELINE]["ns"]
            cells.append(f"{row['ns']:.0f} ns  {best:.2f}x  {row['ratio']:.2f}x")
        print(f"{name:<22}" + "".join(f"{c:>40}" for c in cells))
    for r in results:
        ratio = r["rows"]["equivalent policy"]["ratio"]
        best = r["rows"]["equivalent policy"]["ns"] / r["rows"][BASELINE]["ns"]
        ok = ratio <= 0.5
        if r["build"] != "abi3":  # the shipped (version-specific) build carries the target
            met &= ok
        so = f" ({r['so']})" if "so" in r else ""
        print(f"\n{r['build']}{so}: equivalent policy / hand-written: paired median {ratio:.2f}, "
              f"best/best {best:.2f} (target <= 0.5 on the paired median: {'met' if ok else 'NOT met'})")
    return 0 if met else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--json"]:
        print(json.dumps(measure()))
    else:
        sys.exit(main(sys.argv[1:]))
