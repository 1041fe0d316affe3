"""The Python quick starts of README.md and bindings-python/README.md work as written: every
`python` block that calls `sentry_sdk.init` runs in a fresh interpreter, in an empty directory
holding the README's `sampling.json` (the bundled policy), and the SDK it configured samples
with tracesieve. Only the check after the block is added."""

import pathlib
import re
import shutil
import subprocess
import sys
from typing import Any, List

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]

# After a block: the client it set up samples with tracesieve, by the bundled policy.
CHECK = """
import sentry_sdk as __sdk
__sampler = __sdk.get_client().options["traces_sampler"]
__chat = __sampler({"transaction_context": {"name": "POST /api/chat", "op": "http.server"},
                    "wsgi_environ": {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/chat"}})
__health = __sampler({"transaction_context": {"name": "GET /healthz", "op": "http.server"},
                      "wsgi_environ": {"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz"}})
assert (__chat, __health) == (1.0, 0.0), (__chat, __health)
assert type(__sampler).__module__.startswith("tracesieve"), type(__sampler)
print("quick start ok")
"""


def init_blocks(readme: str) -> List[str]:
    """The `python` blocks of a Markdown file that call sentry_sdk.init."""
    text = (REPO / readme).read_text(encoding="utf-8")
    return [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "sentry_sdk.init(" in b]


CASES = [(readme, i, block) for readme in ("README.md", "bindings-python/README.md")
         for i, block in enumerate(init_blocks(readme))]


@pytest.mark.parametrize("readme", ["README.md", "bindings-python/README.md"])
def test_the_readme_has_a_python_quick_start(readme: str) -> None:
    assert init_blocks(readme)


@pytest.mark.parametrize("readme,index,block", CASES, ids=[f"{r}#{i}" for r, i, _ in CASES])
def test_python_quick_start_runs_as_written(readme: str, index: int, block: str, tmp_path: Any) -> None:
    shutil.copy(REPO / "examples" / "policy.json", tmp_path / "sampling.json")
    (tmp_path / "quickstart.py").write_text(block + CHECK, encoding="utf-8")
    done = subprocess.run([sys.executable, "quickstart.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "quick start ok" in done.stdout
