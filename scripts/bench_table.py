"""Prints the table of `make bench` from criterion's estimates (target/criterion)."""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
PER_ITERATION = 10_000  # the decide benches run 10,000 decisions per iteration

ROWS = [
    ("decide/seed_policy", PER_ITERATION, "bundled policy (examples/policy.json), 10,000 roots", 100e-9),
    ("decide/hand_written", PER_ITERATION, "the seed's hand-written sampler in Rust, same roots", None),
    ("decide/hundred_rules", PER_ITERATION, "100 rules, every root falls through all of them", 1e-6),
    ("compile/seed_policy", 1, "compile the bundled policy", 1e-3),
    ("compile/hundred_rules", 1, "compile the 100-rule policy", 1e-3),
]


def median_seconds(bench):
    path = ROOT / bench / "new" / "estimates.json"
    return json.loads(path.read_text())["median"]["point_estimate"] * 1e-9


def fmt(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.1f} {unit}"
    return f"{seconds / 1e-9:.2f} ns"


def main():
    per = {}
    print(f"{'benchmark':<55} {'median':>10} {'target':>10}  met")
    failed = False
    for bench, n, label, target in ROWS:
        try:
            per[bench] = median_seconds(bench) / n
        except FileNotFoundError:
            print(f"{label:<55} {'(not run)':>10}")
            continue
        met = "" if target is None else ("yes" if per[bench] < target else "NO")
        failed |= met == "NO"
        print(f"{label:<55} {fmt(per[bench]):>10} {fmt(target) if target else '':>10}  {met}")
    if "decide/seed_policy" in per and "decide/hand_written" in per:
        ratio = per["decide/seed_policy"] / per["decide/hand_written"]
        print(f"\ntracesieve / hand-written sampler, same process, same roots: {ratio:.2f}x")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
