"""The sampling contexts of test_ai_integrations.py as conformance vectors
(tests/vectors/sdk_python_ai.json, `"sdk": "python"`; format: tests/vectors/README.md).

`to_vector` makes a context JSON and stable: ids, timestamps, thread ids and the fake server's
port become fixed values, objects that are not JSON are dropped, and `wsgi_environ` keeps its
request fields only. `VectorFile.check` compares a run's context with the recorded one, or,
with `TRACESIEVE_RECORD=1`, replaces that run's cases (the file is written when the module's
tests end; cases of runs that no longer exist are caught by the module's last test).
"""

import datetime
import enum
import json
import os
import pathlib
import re
from typing import Any, Dict, List, Optional, Set

TRACE_ID = "771a43a4192642f0b136d5159a501700"
SPAN_ID = "a0cfbde2bdff3adc"
TIMESTAMP = "2026-08-13T10:00:00.000000Z"
THREAD = {"thread.id": "140000000000000", "thread.name": "MainThread"}
WSGI_FIELDS = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "wsgi.url_scheme")
DROP = object()


def _json(value: Any) -> Any:
    """The JSON part of a value: enums by value, datetimes fixed, other objects dropped."""
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, datetime.datetime):
        return TIMESTAMP
    if isinstance(value, dict):
        out = {str(k): _json(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not DROP}
    if isinstance(value, (list, tuple)):
        return [v for v in map(_json, value) if v is not DROP]
    return DROP


def _ports(value: Any, base: str) -> Any:
    """The fake server's `127.0.0.1:<port>` (in a root's name) as `127.0.0.1:PORT`."""
    host = re.sub(r"^https?://", "", base)
    if isinstance(value, str):
        return value.replace(host, "127.0.0.1:PORT")
    if isinstance(value, dict):
        return {k: _ports(v, base) for k, v in value.items()}
    if isinstance(value, list):
        return [_ports(v, base) for v in value]
    return value


def to_vector(ctx: Dict[str, Any], base: str) -> Dict[str, Any]:
    out = _json(ctx)
    tc = out["transaction_context"]
    for key, fixed in (("trace_id", TRACE_ID), ("span_id", SPAN_ID), ("parent_span_id", SPAN_ID)):
        if tc.get(key) is not None:
            tc[key] = fixed
    data = tc.get("data") or {}
    for key, fixed in THREAD.items():
        if key in data:
            data[key] = fixed
    if "wsgi_environ" in out:
        out["wsgi_environ"] = {k: out["wsgi_environ"][k] for k in WSGI_FIELDS if k in out["wsgi_environ"]}
    return _ports(out, base)


def origin_of(ctx: Dict[str, Any]) -> Dict[str, Optional[str]]:
    """Where the root's origin is: top-level in transaction_context, or only in its data."""
    tc = ctx["transaction_context"]
    if tc.get("origin"):
        return {"origin": tc["origin"], "where": "transaction_context.origin"}
    return {"origin": (tc.get("data") or {}).get("sentry.origin"), "where": 'transaction_context.data["sentry.origin"]'}


class VectorFile:
    """tests/vectors/sdk_python_ai.json: for every run key (`<integration> <lifecycle> <where>`),
    one context, decided by the policy `aiOnly` and, for routes, by `aiRoutes`."""

    def __init__(self, path: pathlib.Path, ai_only: Dict[str, Any], ai_routes: Dict[str, Any],
                 kept: Dict[str, Any], dropped: Dict[str, Any]) -> None:
        self.path = path
        self.policies = {"aiOnly": ai_only, "aiRoutes": ai_routes}
        self.kept, self.dropped = kept, dropped
        self.recording = os.environ.get("TRACESIEVE_RECORD") == "1"
        self.cases: List[Dict[str, Any]] = []
        if path.exists():
            doc = json.loads(path.read_text())
            if not self.recording:
                assert doc["policies"] == self.policies, "the recorded policies are the tests' policies"
            self.cases = doc["cases"]

    @staticmethod
    def key_of(case: Dict[str, Any]) -> str:
        return str(case["name"]).split(": ", 1)[0]

    def keys(self) -> Set[str]:
        return {self.key_of(c) for c in self.cases}

    def expected(self, key: str, vector: Dict[str, Any], kept_by: str, dropped_by: Optional[str]) -> List[Dict[str, Any]]:
        name = vector["transaction_context"]["name"]
        out = [{"name": f"{key}: {name} is kept by {kept_by}", "policyRef": kept_by, "sdk": "python",
                "context": vector, "expect": self.kept}]
        if dropped_by:
            out.append({"name": f"{key}: {name} is dropped by {dropped_by}", "policyRef": dropped_by, "sdk": "python",
                        "context": vector, "expect": self.dropped})
        return out

    def check(self, key: str, vector: Dict[str, Any], kept_by: str, dropped_by: Optional[str] = None) -> None:
        """The run's context is the recorded one (or, recording, becomes it)."""
        now = self.expected(key, vector, kept_by, dropped_by)
        if self.recording:
            self.cases = [c for c in self.cases if self.key_of(c) != key] + now
            return
        recorded = sorted((c for c in self.cases if self.key_of(c) == key), key=lambda c: str(c["name"]))
        assert recorded, f"no recorded vector for {key!r}: run with TRACESIEVE_RECORD=1 and commit {self.path.name}"
        assert recorded == sorted(now, key=lambda c: str(c["name"])), (
            f"sentry-sdk's sampling context for {key!r} drifted from {self.path.name} "
            f"(TRACESIEVE_RECORD=1 rewrites it):\nnow      {json.dumps(now[0]['context'])}\n"
            f"recorded {json.dumps(recorded[0]['context'])}"
        )

    def write(self) -> None:
        doc = {
            "description": (
                "Recorded by tests/python/test_ai_integrations.py (TRACESIEVE_RECORD=1): the sampling_context of "
                "sentry-sdk 2.75's AI integrations (openai, anthropic, google_genai, huggingface_hub, langgraph, "
                "openai_agents, pydantic_ai, mcp) run with the real client libraries against a loopback fake LLM "
                "server, in the static and the span-streaming lifecycles: each standalone run's own root, and the "
                "Flask request root of a run inside POST /api/chat. Ids, timestamps, thread ids and the fake "
                "server's port are normalized; wsgi_environ keeps its request fields."
            ),
            "policies": self.policies,
            "cases": sorted(self.cases, key=lambda c: str(c["name"])),
        }
        self.path.write_text(json.dumps(doc, indent=2) + "\n")
