"""Sums the test counts of every runner's log into one closing line: `N passed, M failed`.

Reads cargo test (`test result: ok. N passed; M failed`), node:test (`# pass N`, `# fail M`)
and pytest (`N passed, M failed in ...`) output. Exits 1 if anything failed or nothing ran.
"""

import re
import sys

PATTERNS = [
    (re.compile(r"test result: \w+\. (\d+) passed; (\d+) failed"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"^# pass (\d+)$"), lambda m: (int(m[1]), 0)),
    (re.compile(r"^# fail (\d+)$"), lambda m: (0, int(m[1]))),
    (re.compile(r"^=+ (?:(\d+) failed, )?(\d+) passed"), lambda m: (int(m[2]), int(m[1] or 0))),
]


def main(paths):
    passed = failed = 0
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                for pattern, counts in PATTERNS:
                    m = pattern.search(line.strip())
                    if m:
                        p, fl = counts(m)
                        passed, failed = passed + p, failed + fl
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
