"""The AI integrations of the real sentry-sdk 2.75 with the real client libraries (ai_apps.CASES),
against the loopback fake LLM server (tests/fakes/llm_server.py), in both trace lifecycles:
static (transactions, the default) and span streaming (`_experiments={"trace_lifecycle":
"stream"}`), with tracesieve's TracesSampler from the installed wheel.

For each integration and lifecycle:
- a standalone run (no active span) is its own root, kept by `{"defaultRate": 0}`, and the
  kept trace holds the integration's spans;
- a run inside a Flask route served on 127.0.0.1 (driven by a real HTTP client) makes no root
  of its own: the HTTP root decides, kept by `genAi.routes` and dropped without it;
- the sampling context of every root matches tests/vectors/sdk_python_ai.json, the
  conformance vectors recorded from these runs (`TRACESIEVE_RECORD=1` rewrites the file).
"""

import contextlib
import dataclasses
import subprocess
import sys
import threading
from typing import Any, Dict, Iterator, List, Optional

import httpx
import pytest
import sentry_sdk
from flask import Flask
from sentry_sdk.integrations.flask import FlaskIntegration
from werkzeug.serving import make_server

from ai_apps import CASES, AiCase
from ai_vectors import VectorFile, origin_of, to_vector
from conftest import REPO
from tracesieve import TracesSampler

LIFECYCLES = {"static": {}, "stream": {"trace_lifecycle": "stream"}}
AI_ONLY: Dict[str, Any] = {"defaultRate": 0}
AI_ROUTES: Dict[str, Any] = {"defaultRate": 0, "genAi": {"routes": ["/api/chat*"]}}
ROUTE = "/api/chat"
KEPT = {"rate": 1.0, "reason": "genAi", "ruleId": "genAi"}
DROPPED = {"rate": 0.0, "reason": "default", "ruleId": None}


@dataclasses.dataclass
class SentSpan:
    """One span of what the SDK sent. Static: the transaction item, except that sentry-sdk 2.75
    moves the gen_ai.* children out of it into span (v2) items of the same envelope (option
    `stream_gen_ai_spans`, on by default). Streaming: span (v2) items only."""

    trace_id: str
    name: str
    op: Optional[str]
    origin: Optional[str]


@dataclasses.dataclass
class Run:
    contexts: List[Dict[str, Any]]  # what sentry-sdk passed to traces_sampler, one per root
    decisions: List[Dict[str, Any]]  # TracesSampler.explain of each
    spans: List[SentSpan]  # everything sent


def sent_spans(transport: Any) -> List[SentSpan]:
    out = []
    for tx in transport.items("transaction"):
        trace = tx["contexts"]["trace"]
        out.append(SentSpan(trace["trace_id"], tx["transaction"], trace.get("op"), trace.get("origin")))
        out += [SentSpan(s["trace_id"], s.get("description") or "", s.get("op"), s.get("origin")) for s in tx["spans"]]
    for item in transport.items("span"):
        for s in item["items"]:
            attrs = {k: v.get("value") for k, v in (s.get("attributes") or {}).items()}
            out.append(SentSpan(s["trace_id"], s["name"], attrs.get("sentry.op"), attrs.get("sentry.origin")))
    return out


@pytest.fixture(scope="module")
def llm() -> Iterator[str]:
    """The fake LLM server as a subprocess; its base URL. It exits when its stdin closes."""
    server = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "fakes" / "llm_server.py")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline().split()
        assert first[:1] == ["listening"], first
        yield first[1]
    finally:
        assert server.stdin is not None
        server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for thread in left:
        thread.join(timeout=5)
    assert not [t for t in left if t.is_alive()], left


@pytest.fixture(scope="module")
def vectors() -> Iterator[VectorFile]:
    recorded = VectorFile(REPO / "tests" / "vectors" / "sdk_python_ai.json", AI_ONLY, AI_ROUTES, KEPT, DROPPED)
    yield recorded
    if recorded.recording:
        recorded.write()


@contextlib.contextmanager
def flask_route(call: Any) -> Iterator[str]:
    """A Flask app serving `POST /api/chat` (which runs `call()`) on 127.0.0.1; its URL."""
    app = Flask("ai_route")
    app.add_url_rule(ROUTE, "chat", lambda: (call(), {"answer": "ok"})[1], methods=["POST"])
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="flask-route")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{ROUTE}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run(sentry: Any, case: AiCase, lifecycle: str, policy: Dict[str, Any], base: str, in_route: bool) -> Run:
    """One real run of the case under the real SDK and tracesieve's sampler."""
    sampler = TracesSampler(policy)
    contexts: List[Dict[str, Any]] = []

    def traces_sampler(ctx: Dict[str, Any]) -> float:
        contexts.append(ctx)
        return sampler(ctx)

    before = requests_made(base)
    transport = sentry(
        traces_sampler=traces_sampler,
        integrations=[case.integration(), FlaskIntegration()],
        _experiments=LIFECYCLES[lifecycle],
        enable_backpressure_handling=False,
        auto_session_tracking=False,
    )
    if in_route:
        with flask_route(lambda: case.call(base)) as url, httpx.Client(timeout=30) as client:
            assert client.post(url, json={"q": "hi"}).status_code == 200
    else:
        case.call(base)
    sentry_sdk.flush()
    sentry_sdk.get_client().close()  # stops the span batcher's thread (streaming) before the next init
    after = requests_made(base)
    for path in case.paths:
        assert after.get(path, 0) > before.get(path, 0), f"{case} made no request to {path}: {after}"
    return Run(contexts, [sampler.explain(c) for c in contexts], sent_spans(transport))


def requests_made(base: str) -> Dict[str, int]:
    """The fake server's request count per path."""
    return dict(httpx.get(f"{base}/requests", timeout=10).json())


PARAMS = [pytest.param(case, lifecycle, id=f"{case}-{lifecycle}") for case in CASES for lifecycle in LIFECYCLES]


@pytest.mark.parametrize("case,lifecycle", PARAMS)
def test_a_standalone_run_is_its_own_root_and_kept(
    sentry: Any, llm: str, vectors: VectorFile, case: AiCase, lifecycle: str
) -> None:
    result = run(sentry, case, lifecycle, AI_ONLY, llm, in_route=False)

    assert len(result.contexts) == 1, "one run, one root"
    vectors.check(f"{case} {lifecycle} standalone", to_vector(result.contexts[0], llm), kept_by="aiOnly")
    assert str(origin_of(result.contexts[0])["origin"]).startswith("auto.ai."), result.contexts[0]
    assert result.decisions[0]["reason"] == "genAi", (result.decisions[0], result.contexts[0])
    sent = result.spans
    assert sent, "the kept trace is sent"
    trace_id = result.contexts[0]["transaction_context"]["trace_id"]
    assert {s.trace_id for s in sent} == {trace_id}, "everything sent belongs to the one kept trace"
    ops = {s.op for s in sent}
    assert case.ops <= ops, f"{case}: {case.ops - ops} missing from the kept trace {sent}"


@pytest.mark.parametrize("case,lifecycle", PARAMS)
def test_a_run_inside_an_http_route_is_decided_by_the_route(
    sentry: Any, llm: str, vectors: VectorFile, case: AiCase, lifecycle: str
) -> None:
    kept = run(sentry, case, lifecycle, AI_ROUTES, llm, in_route=True)
    assert len(kept.contexts) == 1, "the HTTP request is the only root: the AI run is its child"
    root = kept.contexts[0]
    assert root["transaction_context"]["op"] == "http.server"
    assert root["wsgi_environ"]["PATH_INFO"] == ROUTE
    assert kept.decisions[0]["reason"] == "genAi" and kept.decisions[0]["fields"]["path"] == ROUTE
    trace_id = root["transaction_context"]["trace_id"]
    assert {s.trace_id for s in kept.spans} == {trace_id}
    ops = {s.op for s in kept.spans}
    assert "http.server" in ops and case.ops <= ops, f"{case}: the AI spans are in the request's trace: {kept.spans}"

    dropped = run(sentry, case, lifecycle, AI_ONLY, llm, in_route=True)
    assert len(dropped.contexts) == 1
    assert dropped.decisions[0]["reason"] == "default" and dropped.decisions[0]["rate"] == 0.0
    assert dropped.spans == [], "a dropped request sends neither its own span nor the AI spans"

    vector = to_vector(root, llm)
    assert to_vector(dropped.contexts[0], llm) == vector, "both requests give the sampler the same context"
    vectors.check(f"{case} {lifecycle} route {ROUTE}", vector, kept_by="aiRoutes", dropped_by="aiOnly")


def test_every_recorded_vector_is_still_produced(vectors: VectorFile) -> None:
    """Runs last in the module: a vector whose run is gone fails instead of lingering."""
    expected = {f"{c} {lc} standalone" for c in CASES for lc in LIFECYCLES}
    expected |= {f"{c} {lc} route {ROUTE}" for c in CASES for lc in LIFECYCLES}
    assert vectors.keys() == expected
