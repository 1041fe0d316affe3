"""TracesSampler and ErrorSampler in the real sentry-sdk 2.75, asserted on the envelopes it
sends (RecordingTransport)."""

import math
import random
from typing import Any, Dict, List

import httpx
import openai
import sentry_sdk
from sentry_sdk.integrations.openai import OpenAIIntegration

from tracesieve import ErrorSampler, TracesSampler
from conftest import trace_id_of

POLICY: Dict[str, Any] = {
    "defaultRate": 0.2,
    "genAi": {"routes": ["/api/chat*", "/api/agent*", "/api/generate*"]},
    "rules": [
        {"id": "health", "when": {"path": ["/health*", "/ready*"]}, "rate": 0},
        {"id": "payment", "when": {"path": "/payment*"}, "rate": 0.5},
    ],
    "errors": {
        "rules": [
            {"id": "ignored", "when": {"exception": "MyIgnoredException"}, "rate": 0},
            {"id": "noisy", "when": {"exception": "MyException"}, "rate": 0.5},
        ]
    },
}


class MyException(Exception):
    pass


class MyIgnoredException(Exception):
    pass


def within_4_sigma(kept: int, n: int, p: float) -> bool:
    return abs(kept - n * p) <= 4 * math.sqrt(n * p * (1 - p))


def wsgi_root(path: str, method: str = "GET") -> str:
    """A root as the WSGI integration starts it: a placeholder name, the request in
    wsgi_environ."""
    environ = {"REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path, "HTTP_USER_AGENT": "test"}
    tx = sentry_sdk.start_transaction(
        name="generic WSGI request", op="http.server", source="route",
        custom_sampling_context={"wsgi_environ": environ},
    )
    with tx:
        pass
    return str(tx.trace_id)


def continued_root(rng: random.Random, sampled: bool) -> str:
    """A root that continues an upstream trace (sentry-trace + baggage, as an HTTP request
    carries them); returns its trace id."""
    trace_id = "%032x" % rng.getrandbits(128)
    rand = rng.random() * 0.5 if sampled else 0.5 + rng.random() * 0.5
    headers = {
        "sentry-trace": f"{trace_id}-{trace_id[:16]}-{1 if sampled else 0}",
        "baggage": f"sentry-trace_id={trace_id},sentry-sample_rand={rand:.6f},sentry-sample_rate=0.5,"
        f"sentry-sampled={'true' if sampled else 'false'}",
    }
    with sentry_sdk.isolation_scope():
        tx = sentry_sdk.continue_trace(headers, op="http.server", name="GET /api/orders/1")
        with sentry_sdk.start_transaction(tx, custom_sampling_context={"wsgi_environ": {"PATH_INFO": "/api/orders/1"}}):
            pass
    return trace_id


def test_ten_thousand_roots_of_a_realistic_mix(sentry: Any) -> None:
    sampler = TracesSampler(POLICY)
    transport = sentry(traces_sampler=sampler)
    rng = random.Random(4)
    kind_of: Dict[str, str] = {}
    continued: Dict[str, bool] = {}
    for _ in range(10_000):
        kind = rng.choices(["agent", "health", "payment", "chat", "continued", "other"], [10, 20, 30, 10, 10, 20])[0]
        if kind == "agent":
            with sentry_sdk.start_transaction(op="gen_ai.invoke_agent", name="invoke_agent triage") as tx:
                trace_id = str(tx.trace_id)
        elif kind == "health":
            trace_id = wsgi_root(rng.choice(["/healthz", "/health/live", "/ready"]))
        elif kind == "payment":
            trace_id = wsgi_root("/payment/checkout", "POST")
        elif kind == "chat":
            trace_id = wsgi_root("/api/chat", "POST")
        elif kind == "continued":
            parent = rng.random() < 0.5
            trace_id = continued_root(rng, parent)
            continued[trace_id] = parent
        else:
            trace_id = wsgi_root(f"/api/orders/{rng.randrange(10_000)}")
        kind_of[trace_id] = kind
    started = {k: list(kind_of.values()).count(k) for k in set(kind_of.values())}
    assert sum(started.values()) == 10_000, "one trace per root"

    kept_ids = [trace_id_of(tx) for tx in transport.transactions()]
    kept = {k: 0 for k in started}
    for trace_id in kept_ids:
        kept[kind_of[trace_id]] += 1
    assert kept["agent"] == started["agent"], "every agent run is kept"
    assert kept["chat"] == started["chat"], "every request to an AI route is kept"
    assert kept["health"] == 0, "health checks are never kept"
    assert within_4_sigma(kept["payment"], started["payment"], 0.5), (kept, started)
    assert within_4_sigma(kept["other"], started["other"], 0.2), (kept, started)
    for trace_id, parent in continued.items():
        assert (trace_id in kept_ids) == parent, "a continued trace keeps its parent's decision"

    stats = sampler.stats()["traces"]
    assert stats["total"] == 10_000
    assert stats["by_rule"]["genAi"] == started["agent"] + started["chat"]
    assert stats["by_rule"]["health"] == started["health"]
    assert stats["by_rule"]["payment"] == started["payment"]
    assert stats["by_reason"]["parent"] == started["continued"]
    assert sampler.stats()["fallbacks"] == 0


def test_health_checks_are_never_kept_and_ai_routes_always(sentry: Any) -> None:
    transport = sentry(traces_sampler=TracesSampler(POLICY))
    for _ in range(200):
        wsgi_root("/healthz")
    assert transport.transactions() == []
    for _ in range(200):
        wsgi_root("/api/agent/run", "POST")
    assert len(transport.transactions()) == 200


def test_the_openai_integrations_chat_root_is_kept(sentry: Any) -> None:
    """An OpenAI call outside a request: the integration starts a gen_ai.chat transaction,
    the root the sampler sees (no gen_ai attributes yet, op only)."""
    seen: List[Dict[str, Any]] = []
    sampler = TracesSampler(dict(POLICY, defaultRate=0.0))

    def recording(ctx: Dict[str, Any]) -> float:
        seen.append(dict(ctx["transaction_context"]))
        return sampler(ctx)

    transport = sentry(traces_sampler=recording, integrations=[OpenAIIntegration()])
    reply = {
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    }
    http = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, json=reply)))
    client = openai.OpenAI(api_key="test", base_url="http://127.0.0.1:9/v1", http_client=http)
    for _ in range(20):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hello"}])
    assert seen and all(s["op"] == "gen_ai.chat" for s in seen)
    sent = transport.transactions()
    assert len(sent) == 20
    assert {tx["contexts"]["trace"]["op"] for tx in sent} == {"gen_ai.chat"}
    assert sampler.stats()["traces"]["by_rule"]["genAi"] == 20


def raise_and_capture(exc: type, trace: bool = True) -> None:
    with sentry_sdk.isolation_scope() as scope:
        if trace:
            scope.set_new_propagation_context()
        try:
            raise exc("boom")
        except Exception:
            sentry_sdk.capture_exception()


def test_error_sampler_drops_ignored_and_keeps_half_of_my_exception(sentry: Any) -> None:
    errors = ErrorSampler(POLICY)
    transport = sentry(error_sampler=errors)
    for _ in range(2000):
        raise_and_capture(MyIgnoredException)
    for _ in range(2000):
        raise_and_capture(MyException)
    for _ in range(100):
        raise_and_capture(KeyError)
    types = [e["exception"]["values"][-1]["type"] for e in transport.errors()]
    assert types.count("MyIgnoredException") == 0
    assert within_4_sigma(types.count("MyException"), 2000, 0.5), types.count("MyException")
    assert types.count("KeyError") == 100
    counts = errors.stats()["errors"]
    assert counts["by_rule"] == {"ignored": 2000, "noisy": 2000}
    assert counts["by_reason"]["default"] == 100


def test_errors_of_one_trace_share_one_fate(sentry: Any) -> None:
    transport = sentry(error_sampler=ErrorSampler(POLICY))
    per_trace = 5
    for _ in range(200):
        with sentry_sdk.isolation_scope() as scope:
            scope.set_new_propagation_context()
            for _ in range(per_trace):
                try:
                    raise MyException("again")
                except MyException:
                    sentry_sdk.capture_exception()
    by_trace: Dict[str, int] = {}
    for event in transport.errors():
        by_trace[trace_id_of(event)] = by_trace.get(trace_id_of(event), 0) + 1
    assert set(by_trace.values()) == {per_trace}, "all or none of a trace's errors are kept"
    assert within_4_sigma(len(by_trace), 200, 0.5)


def test_span_streaming_lifecycle_reads_start_attributes(sentry: Any) -> None:
    """sentry-sdk 2.75's span-streaming mode (the 3.0 shape): the start attributes arrive
    as transaction_context["data"], and what is kept is sent as span (v2) items."""
    import sentry_sdk.traces

    policy = {"defaultRate": 0.0, "genAi": False,
              "rules": [{"id": "model", "when": {"attributes": {"gen_ai.request.model": "gpt-*"}}, "rate": 1}]}
    sampler = TracesSampler(policy)
    transport = sentry(traces_sampler=sampler, _experiments={"trace_lifecycle": "stream"})
    for _ in range(10):
        with sentry_sdk.traces.start_span(name="chat gpt-4o", attributes={"sentry.op": "gen_ai.chat", "gen_ai.request.model": "gpt-4o"}):
            pass
        with sentry_sdk.traces.start_span(name="plain", attributes={"sentry.op": "task"}):
            pass
    sentry_sdk.flush()
    names = [span["name"] for item in transport.items("span") for span in item["items"]]
    assert names == ["chat gpt-4o"] * 10
    assert sampler.stats()["traces"]["by_rule"] == {"model": 10}
    assert sampler.stats()["traces"]["by_reason"]["default"] == 10
