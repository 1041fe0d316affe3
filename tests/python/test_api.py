"""The public API: policy inputs, PolicyError, from_env, explain, stats, threads, and
never breaking the host app on malformed contexts."""

import json
import os
import threading
from typing import Any, Dict

import pytest

import tracesieve
from tracesieve import ErrorSampler, PolicyError, TracesSampler
from conftest import REPO
from mixed import RaisingEq, RaisingGetattr

POLICY = {
    "defaultRate": 0.25,
    "genAi": {"routes": ["/api/chat*"]},
    "rules": [
        {"id": "health", "when": {"path": "/health*"}, "rate": 0},
        {"id": "named", "when": {"name": "jobs.*"}, "rate": 0.75},
    ],
}


def ctx(name: Any = "GET /orders", op: Any = "http.server", **top: Any) -> Dict[str, Any]:
    return {"transaction_context": {"name": name, "op": op, "data": {"thread.id": 1}}, "parent_sampled": None, **top}


def test_version_is_the_workspace_version() -> None:
    cargo = (REPO / "Cargo.toml").read_text()
    assert f'version = "{tracesieve.__version__}"' in cargo


def test_policy_from_a_dict_a_json_string_a_path_and_a_pathlike(tmp_path: Any) -> None:
    path = tmp_path / "sampling.json"
    path.write_text(json.dumps(POLICY))
    for policy in (POLICY, json.dumps(POLICY), str(path), path):
        sampler = TracesSampler(policy)
        assert sampler(ctx(wsgi_environ={"PATH_INFO": "/healthz"})) == 0.0
        assert sampler(ctx()) == 0.25


def test_policy_error_lists_every_problem_with_its_path() -> None:
    with pytest.raises(PolicyError) as raised:
        TracesSampler({"defaultRate": 1.5, "rules": [{"when": {"pathh": "/x"}, "rate": 2}]})
    err = raised.value
    assert isinstance(err, ValueError)
    assert str(err).startswith("invalid tracesieve policy (3 problems):")
    assert [p.path for p in err.problems] == ["defaultRate", "rules[0].when", "rules[0].rate"]
    assert "unknown field \"pathh\"" in err.problems[1].message
    with pytest.raises(PolicyError, match="invalid JSON"):
        ErrorSampler("{ not json")


def test_bad_policy_arguments() -> None:
    with pytest.raises(ValueError, match="cannot read"):
        TracesSampler("/no/such/policy.json")
    with pytest.raises(TypeError):
        TracesSampler(42)  # type: ignore[arg-type]


def test_from_env(monkeypatch: Any, tmp_path: Any) -> None:
    monkeypatch.setenv("TRACESIEVE_POLICY", json.dumps(POLICY))
    assert TracesSampler.from_env()(ctx(name="jobs.email", op="queue.task")) == 0.75
    path = tmp_path / "p.json"
    path.write_text(json.dumps(POLICY))
    monkeypatch.setenv("TRACESIEVE_POLICY", str(path))
    assert ErrorSampler.from_env()({"level": "error"}, None) == 1.0
    monkeypatch.delenv("TRACESIEVE_POLICY")
    with pytest.raises(ValueError, match="TRACESIEVE_POLICY"):
        TracesSampler.from_env()


def test_explain_shows_the_decision_and_the_fields_read_without_counting() -> None:
    sampler = TracesSampler(POLICY)
    e = sampler.explain(ctx(name="generic WSGI request", wsgi_environ={"REQUEST_METHOD": "post", "PATH_INFO": "/api/chat"}))
    assert (e["rate"], e["reason"], e["rule_id"]) == (1.0, "genAi", "genAi")
    assert e["fields"]["path"] == "/api/chat"
    assert e["gen_ai"] is False
    e = sampler.explain(ctx(parent_sampled=True))
    assert (e["rate"], e["reason"], e["rule_id"], e["parent_sampled"]) == (1.0, "parent", None, True)
    assert sampler.stats()["traces"]["total"] == 0


def test_stats_count_by_reason_and_rule() -> None:
    sampler = TracesSampler(POLICY)
    sampler(ctx(op="gen_ai.chat"))
    sampler(ctx(wsgi_environ={"PATH_INFO": "/health"}))
    sampler(ctx(parent_sampled=False))
    sampler(ctx())
    s = sampler.stats()
    assert s["traces"]["total"] == 4
    assert s["traces"]["by_rule"] == {"genAi": 1, "health": 1, "named": 0}
    assert s["traces"]["by_reason"]["parent"] == 1 and s["traces"]["by_reason"]["default"] == 1
    assert s["fallbacks"] == 0


class RaisingMapping(dict):  # type: ignore[type-arg]
    def __getitem__(self, key: Any) -> Any:
        raise RuntimeError("no items")

    def get(self, key: Any, default: Any = None) -> Any:
        raise RuntimeError("no items")


MALFORMED = {
    "None": None,
    "a list": [1, 2],
    "a string": "transaction_context",
    "transaction_context is a list": {"transaction_context": ["name"], "parent_sampled": True},
    "transaction_context is a string": {"transaction_context": "GET /", "parent_sampled": False},
    "name is an int": ctx(name=42),
    "name is bytes": ctx(name=b"GET /orders"),
    "op is a dict": ctx(op={"x": 1}),
    "a key whose __eq__ raises": {"transaction_context": {RaisingEq("name"): "x", "op": None}, "parent_sampled": True},
    "a request object whose attributes raise": ctx(name="generic AIOHTTP request", aiohttp_request=RaisingGetattr()),
    "a huge name": ctx(name="GET /" + "a" * 10_000_000),
    "a huge path": ctx(name="generic WSGI request", wsgi_environ={"PATH_INFO": "/" + "é" * 200_000}),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_contexts_fall_back_and_count(case: str) -> None:
    sampler = TracesSampler(POLICY)
    context = MALFORMED[case]
    rate = sampler(context)
    assert type(rate) is float and 0.0 <= rate <= 1.0
    parent = context.get("parent_sampled") if isinstance(context, dict) else None
    assert rate == (float(parent) if parent is not None else 0.25)
    stats = sampler.stats()
    assert stats["fallbacks"] == 1, case
    assert stats["traces"]["total"] == 1


def test_a_dict_subclass_with_raising_getitem_is_read_as_a_dict() -> None:
    sampler = TracesSampler(POLICY)
    bad = RaisingMapping(ctx(op="gen_ai.chat"))
    assert sampler(bad) == 1.0  # its items are read without calling __getitem__
    assert sampler.stats()["fallbacks"] == 0


def test_the_error_sampler_never_raises() -> None:
    errors = ErrorSampler({"defaultRate": 1, "errors": {"defaultRate": 0.5}})
    for event, hint in [(None, None), ("x", 1), ({"exception": {"values": "x"}}, {"exc_info": 7}),
                        ({"level": RaisingEq("e")}, {"exc_info": (RaisingGetattr, None, None)})]:
        rate = errors(event, hint)
        assert rate == 0.5
    assert errors.stats()["fallbacks"] >= 2


def test_eight_threads_at_once_sum_exactly() -> None:
    sampler = TracesSampler(POLICY)
    contexts = [ctx(op="gen_ai.chat"), ctx(wsgi_environ={"PATH_INFO": "/health"}), ctx(), ctx(parent_sampled=True)]
    per_thread = 20_000
    barrier = threading.Barrier(8)
    results = []

    def work() -> None:
        barrier.wait()
        total = 0.0
        for i in range(per_thread):
            total += sampler(contexts[i % 4])
        results.append(total)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats = sampler.stats()["traces"]
    assert stats["total"] == 8 * per_thread
    assert stats["by_rule"]["genAi"] == stats["by_rule"]["health"] == 2 * per_thread
    assert stats["by_reason"]["parent"] == stats["by_reason"]["default"] == 2 * per_thread
    assert results == [per_thread / 4 * (1.0 + 0.0 + 0.25 + 1.0)] * 8


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_a_million_calls_leave_rss_within_1_mb() -> None:
    sampler = TracesSampler(POLICY)
    errors = ErrorSampler(POLICY)
    contexts = [
        ctx(op="gen_ai.chat"),
        ctx(name="generic WSGI request", wsgi_environ={"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz"}),
        ctx(name=42, parent_sampled=True),  # a fallback
        {"transaction_context": {"name": "jobs.x", "op": "q", "data": {"gen_ai.system": "openai"}}, "x.y": 1},
    ]
    event, hint = {"level": "error", "message": "m"}, {"exc_info": (KeyError, KeyError("k"), None)}
    for i in range(100_000):
        sampler(contexts[i % 4])
        errors(event, hint)
    before = rss_bytes()
    for i in range(1_000_000):
        sampler(contexts[i & 3])
    for _ in range(100_000):
        errors(event, hint)
    grown = rss_bytes() - before
    assert grown <= 1 << 20, f"RSS grew by {grown} bytes"
    assert sampler.stats()["traces"]["total"] == 1_100_000
