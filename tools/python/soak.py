"""`make soak`: N decisions (default 10,000,000) of one TracesSampler over the traffic and
the hostile contexts of mixed.py, with an error event through ErrorSampler every 10th
decision and an explain() every 100th. After a warm-up (the first tenth), memory must stay
flat, measured after a full collection at each tenth: the process RSS rises by less than
RSS_BOUND and sys.getallocatedblocks() by at most BLOCKS_BOUND over their lowest earlier
value. Every decision must equal the one a fresh sampler gave for the same context, and the
counters must equal the sum of each context's counts. Prints the figures; exits 1 on a
breach.

Usage: soak.py [decisions]
"""

import gc
from array import array
import os
import sys
import time
from typing import Any, Dict, List, Tuple

# The mixed contexts are shared with the thread test.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "python"))

import mixed  # noqa: E402
from tracesieve import ErrorSampler, TracesSampler  # noqa: E402

RSS_BOUND = 1 << 20
BLOCKS_BOUND = 100


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def flat(stats: Dict[str, Any], prefix: str = "") -> Dict[str, int]:
    """Stats as a flat dict: `traces.by_reason.parent` -> n."""
    out: Dict[str, int] = {}
    for k, v in stats.items():
        if isinstance(v, dict):
            out.update(flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def deltas(sampler: Any, call: Any) -> List[Tuple[str, int]]:
    """What one call adds to each counter of `sampler`."""
    before = flat(sampler.stats())
    call()
    return [(k, v - before[k]) for k, v in flat(sampler.stats()).items() if v != before[k]]


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    contexts, events = mixed.contexts(), mixed.events()
    # What each context decides and counts, from samplers that see it once.
    reference, reference_errors = TracesSampler(mixed.POLICY), ErrorSampler(mixed.POLICY)
    want = [reference(c) for c in contexts]
    counts = [deltas(reference, lambda c=c: reference(c)) for c in contexts]  # type: ignore[misc]
    error_counts = [deltas(reference_errors, lambda e=e: reference_errors(*e)) for e in events]

    traces, errors = TracesSampler(mixed.POLICY), ErrorSampler(mixed.POLICY)
    # How often each context and event was decided (arrays: their counts allocate nothing).
    uses = array("q", [0]) * len(contexts)
    error_uses = array("q", [0]) * len(events)
    print(f"soak python: {n:,} decisions over {len(contexts)} contexts, an error event every 10th "
          f"({len(events)} events), explain() every 100th")
    print("   decisions      rss MB   allocated blocks")
    step = n // 10
    low = {"rss": float("inf"), "blocks": float("inf")}
    worst = {"rss": 0.0, "blocks": 0.0}
    wrong = 0
    i = e = 0
    done = 0
    started = time.perf_counter()
    while done < n:
        until = min(n, done + step)
        while done < until:
            # A run of up to 100 decisions, then one explain() and 10 error events.
            run = min(100, until - done, len(contexts) - i)
            for c, w in zip(contexts[i:i + run], want[i:i + run]):
                if traces(c) != w:
                    wrong += 1
            for j in range(i, i + run):
                uses[j] += 1
            traces.explain(contexts[i])
            for _ in range(run // 10):
                errors(*events[e])
                error_uses[e] += 1
                e = (e + 1) % len(events)
            i = (i + run) % len(contexts)
            done += run
        gc.collect()
        now = {"rss": float(rss_bytes()), "blocks": float(sys.getallocatedblocks())}
        for k in worst:
            worst[k] = max(worst[k], now[k] - low[k])
            low[k] = min(low[k], now[k])
        print(f"  {done:>10,}  {now['rss'] / 2**20:>10.2f}  {int(now['blocks']):>17,}")
    seconds = time.perf_counter() - started

    failures = []
    got = flat(traces.stats())
    for k, v in flat(errors.stats()).items():
        got[k] += v
    expected = dict.fromkeys(got, 0)
    for table, used in ((counts, uses), (error_counts, error_uses)):
        for d, times in zip(table, used):
            for k, v in d:
                expected[k] += v * times
    failures += [f"counter {k}: {got[k]}, expected {v}" for k, v in expected.items() if got[k] != v]
    if got["traces.total"] != n:
        failures.append(f"traces.total {got['traces.total']}, expected {n}")
    if wrong:
        failures.append(f"{wrong} decisions differ from the reference sampler's")
    if worst["rss"] >= RSS_BOUND:
        failures.append(f"RSS grew by {worst['rss']:.0f} bytes after the warm-up (bound: < {RSS_BOUND})")
    if worst["blocks"] > BLOCKS_BOUND:
        failures.append(f"allocated blocks grew by {worst['blocks']:.0f} after the warm-up (bound: {BLOCKS_BOUND})")
    print(f"soak python: {seconds:.1f} s, {seconds * 1e9 / n:.0f} ns per decision (with the checks); after the "
          f"warm-up: RSS grew at most {worst['rss']:.0f} bytes (bound < 1 MiB), allocated blocks at most "
          f"{worst['blocks']:.0f} (bound {BLOCKS_BOUND}); {got['fallbacks']:,} fallbacks, "
          f"{got['errors.total']:,} error events, counters exact")
    for f in failures:
        print(f"soak python FAILED: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
