"""Recording real roots: TracesSampler(policy, record=...) under the real sentry-sdk writes
one traffic line per root; ``tracesieve simulate`` (the Rust binary, target/release) on the
recorded file keeps exactly the roots the SDK kept. record_rate and max_bytes are honoured;
data the policy does not read never reaches a line."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest
import sentry_sdk
from sentry_sdk.tracing_utils import _generate_sample_rand

from tracesieve import TracesSampler, record_to_file

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("TRACESIEVE_BIN", str(REPO / "target" / "release" / "tracesieve"))
POLICY: Dict[str, Any] = json.loads((REPO / "examples" / "policy.json").read_text())
SECRET = "alice@example.com"
PATHS = ["/api/orders/7", "/healthz", "/payment/checkout", "/search", "/api/chat", "/api/other"]


def simulate(tmp_path: Path, traffic: Path) -> Dict[str, Any]:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(POLICY))
    out = subprocess.run([BIN, "simulate", "--format", "json", str(policy), str(traffic)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    result: Dict[str, Any] = json.loads(out.stdout)
    return result


def lines(path: Path) -> List[str]:
    return [line for line in path.read_text().split("\n") if line]


def sample_rand(ctx: Dict[str, Any]) -> float:
    """What sentry-sdk 2.x compares the rate with for a new trace (no incoming baggage)."""
    return _generate_sample_rand(ctx["transaction_context"]["trace_id"])


def root(i: int) -> None:
    path = PATHS[i % len(PATHS)]
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_COOKIE": SECRET}
    op = "gen_ai.chat" if i % 17 == 0 else "http.server"
    with sentry_sdk.start_transaction(
        name="generic WSGI request", op=op, custom_sampling_context={"wsgi_environ": environ, "user": {"email": SECRET, "tier": "pro"}}
    ):
        pass


def test_roots_recorded_under_sentry_sdk_simulate_keeps_what_the_sdk_kept(sentry: Any, tmp_path: Path) -> None:
    file = tmp_path / "roots.jsonl"
    record = record_to_file(file)
    sampler = TracesSampler(POLICY, record=record, record_keys={"custom": ["user.tier"]}, sample_rand=sample_rand)
    transport = sentry(traces_sampler=sampler)
    n = 3000
    for i in range(n):
        root(i)
    sentry_sdk.flush()
    record.close()
    sdk_kept = len(transport.transactions())
    recorded = lines(file)
    assert len(recorded) == n, "one line per root"
    first = json.loads(recorded[0])
    assert first["op"] == "gen_ai.chat" and first["decision"]["reason"] == "genAi"
    second = json.loads(recorded[1])
    assert second["path"] == "/healthz" and second["method"] == "GET"
    assert second["custom"]["user.tier"] == "pro", "a key the user lists is recorded"
    assert isinstance(second["sampleRand"], float)
    text = file.read_text()
    assert SECRET not in text and "HTTP_COOKIE" not in text, "nothing the policy does not read"
    report = simulate(tmp_path, file)
    assert report["roots"] == n
    assert report["kept"] == sdk_kept, (report["kept"], sdk_kept)
    assert 0 < sdk_kept < n


def ctx(i: int) -> Dict[str, Any]:
    return {
        "transaction_context": {"name": f"GET /x/{i}", "op": "http.server"},
        "wsgi_environ": {"PATH_INFO": f"/x/{i}", "REQUEST_METHOD": "GET", "HTTP_COOKIE": SECRET},
        "parent_sampled": None,
    }


def test_record_rate_and_max_bytes(tmp_path: Path) -> None:
    plain = TracesSampler(POLICY)
    sampled = tmp_path / "sampled.jsonl"
    rec = record_to_file(sampled, record_rate=0.25)
    s = TracesSampler(POLICY, record=rec)
    for i in range(400):
        assert s(ctx(i)) == plain(ctx(i)), "recording never changes a rate"
    rec.close()
    assert len(lines(sampled)) == 100
    assert simulate(tmp_path, sampled)["roots"] == 100

    bounded = tmp_path / "bounded.jsonl"
    small = record_to_file(bounded, max_bytes=2000)
    b = TracesSampler(POLICY, record=small)
    for i in range(400):
        b(ctx(i))
    small.close()
    size = bounded.stat().st_size
    assert 1000 < size <= 2000, size
    assert all(json.loads(line)["name"].startswith("GET /x/") for line in lines(bounded))
    assert SECRET not in bounded.read_text()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_raising_record_never_changes_a_decision() -> None:
    def broken(line: str) -> None:
        raise OSError("disk full")

    s = TracesSampler(POLICY, record=broken)
    assert s(ctx(0)) == TracesSampler(POLICY)(ctx(0))
    assert s({"transaction_context": {"name": "GET /healthz"}, "wsgi_environ": {"PATH_INFO": "/healthz"}}) == 0.0
