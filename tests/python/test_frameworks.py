"""A real Flask app (WSGI test client) and a real FastAPI app (Starlette's ASGI test
client), each with its sentry-sdk integration. At sampling time the root's name is not the
route: Flask's is the placeholder "generic WSGI request", FastAPI's the full URL
("http://testserver/healthz"), so the policy's path rules read the request objects the
integrations pass (wsgi_environ, asgi_scope)."""

from typing import Any, Dict, List

from fastapi import FastAPI
from fastapi.testclient import TestClient
from flask import Flask
from sentry_sdk.integrations.fastapi import FastApiIntegration
from sentry_sdk.integrations.flask import FlaskIntegration
from sentry_sdk.integrations.starlette import StarletteIntegration

from tracesieve import TracesSampler

POLICY = {
    "defaultRate": 0.5,
    "genAi": {"routes": ["/api/chat*"]},
    "rules": [{"id": "health", "when": {"path": ["/healthz", "/ready"]}, "rate": 0}],
}
N = 40


class Recorder:
    """The traces_sampler: tracesieve, remembering what the SDK passed."""

    def __init__(self) -> None:
        self.sampler = TracesSampler(POLICY)
        self.names: List[str] = []
        self.contexts: List[Dict[str, Any]] = []

    def __call__(self, ctx: Dict[str, Any]) -> float:
        self.names.append(ctx["transaction_context"]["name"])
        self.contexts.append(ctx)
        return self.sampler(ctx)


def sent_names(transport: Any) -> List[str]:
    return [tx["transaction"] for tx in transport.transactions()]


def test_flask(sentry: Any) -> None:
    recorder = Recorder()
    transport = sentry(traces_sampler=recorder, integrations=[FlaskIntegration()])
    app = Flask(__name__)
    app.add_url_rule("/api/chat", "chat", lambda: {"answer": "hi"}, methods=["POST"])
    app.add_url_rule("/healthz", "healthz", lambda: "ok")
    client = app.test_client()
    for _ in range(N):
        assert client.post("/api/chat", json={"q": "hi"}).status_code == 200
        assert client.get("/healthz").status_code == 200

    assert set(recorder.names) == {"generic WSGI request"}, "the name is a placeholder at sampling time"
    assert all("wsgi_environ" in c for c in recorder.contexts)
    names = sent_names(transport)
    assert names.count("chat") == N, "every /api/chat request is kept (genAi.routes)"
    assert names.count("healthz") == 0, "/healthz is dropped"
    stats = recorder.sampler.stats()["traces"]
    assert stats["by_rule"] == {"genAi": N, "health": N}
    explained = recorder.sampler.explain(recorder.contexts[0])
    assert explained["fields"]["path"] == "/api/chat" and explained["rule_id"] == "genAi"


def test_fastapi(sentry: Any) -> None:
    recorder = Recorder()
    transport = sentry(
        traces_sampler=recorder,
        integrations=[StarletteIntegration(transaction_style="url"), FastApiIntegration(transaction_style="url")],
    )
    app = FastAPI()

    @app.post("/api/chat")
    def chat() -> Dict[str, str]:
        return {"answer": "hi"}

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    with TestClient(app) as client:
        for _ in range(N):
            assert client.post("/api/chat", json={"q": "hi"}).status_code == 200
            assert client.get("/healthz").status_code == 200

    assert all("asgi_scope" in c for c in recorder.contexts)
    assert set(recorder.names) == {"http://testserver/api/chat", "http://testserver/healthz"}
    names = sent_names(transport)
    assert names.count("/api/chat") == N, names[:5]
    assert names.count("/healthz") == 0
    assert recorder.sampler.stats()["traces"]["by_rule"] == {"genAi": N, "health": N}
