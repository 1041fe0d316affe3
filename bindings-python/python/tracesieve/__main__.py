"""`python -m tracesieve`: the tracesieve command line (check, explain, simulate, diff).

The command is written once, in Rust (the `tracesieve-cli` crate); this only passes the
arguments, so its output is byte for byte that of `npx tracesieve` and the Rust binary.
"""

import sys

from tracesieve._core import run_cli


def main() -> int:
    """Runs the command line with this process's arguments; returns the exit code."""
    sys.stdout.flush()
    return run_cli(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
