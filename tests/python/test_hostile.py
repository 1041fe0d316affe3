"""Hostile inputs that test_api.py does not cover: NaN/inf/out-of-range parent sample
rates, lone surrogates (str that cannot be UTF-8 encoded), 10 MB strings in every field a
policy reads, sample_rand outside [0, 1) in error events, and huge or deeply nested
policies. Every call returns a float in [0, 1] and never raises; a context that cannot be
read gives the parent's decision if readable, else defaultRate, and counts a fallback
(docs/policy.md)."""

import json
import math
import sys
from typing import Any, List, Tuple

import pytest

from tracesieve import ErrorSampler, PolicyError, TracesSampler
from mixed import POLICY, ctx, wsgi

TEN_MB = "a" * 10_000_000
LONE = ["\ud800", "\udfff", "\udc00"]
INVALID_RATES = [float("nan"), float("inf"), float("-inf"), -1, 2, 1 + 2**-52, -5e-324, 10**400, "0.5", True, [0.5]]


def decide(sampler: TracesSampler, context: Any) -> float:
    rate = sampler(context)
    assert type(rate) is float and math.isfinite(rate) and 0.0 <= rate <= 1.0, rate
    return rate


@pytest.mark.parametrize("rate", INVALID_RATES, ids=repr)
def test_an_invalid_parent_sample_rate_is_ignored_and_counted(rate: Any) -> None:
    # docs/policy.md, step 3: only a finite number in [0, 1] is the parent's rate. An invalid
    # one leaves the parent's decision (or the rules) to decide, as Sentry's SDKs ignore one
    # in baggage; as a value no SDK sends, each decision that read it counts a fallback.
    sampler = TracesSampler(POLICY)
    assert decide(sampler, ctx(parent_sampled=True, parent_sample_rate=rate)) == 1.0
    assert decide(sampler, ctx(parent_sampled=False, parent_sample_rate=rate)) == 0.0
    assert decide(sampler, ctx(parent_sample_rate=rate)) == 0.2
    assert decide(sampler, wsgi("/payment/x", parent_sample_rate=rate)) == 0.5
    e = sampler.explain(ctx(parent_sampled=True, parent_sample_rate=rate))
    assert (e["reason"], e["parent_sampled"]) == ("parent", True)
    stats = sampler.stats()
    assert stats["fallbacks"] == 4
    assert stats["traces"]["by_reason"]["parent"] == 2


def test_a_valid_parent_sample_rate_is_the_rate() -> None:
    # The control for the test above: the same contexts with valid rates do return them.
    sampler = TracesSampler(POLICY)
    for rate in (0.0, 1.0, 0.25, 5e-324, 1):
        assert decide(sampler, ctx(parent_sampled=False, parent_sample_rate=rate)) == rate
    assert decide(sampler, ctx(parent_sample_rate=None)) == 0.2  # None is a missing rate
    assert sampler.stats()["fallbacks"] == 0


LONE_CASES: List[Tuple[str, Any]] = [
    # (label, context with the lone surrogate where the argument goes)
    ("the name", lambda s: ctx(name=f"GET /health{s}")),
    ("the name, parent sampled", lambda s: ctx(name=f"GET /health{s}", parent_sampled=True)),
    ("PATH_INFO", lambda s: wsgi(f"/health{s}")),
    ("PATH_INFO, parent unsampled", lambda s: wsgi(f"/api/chat{s}", parent_sampled=False)),
    ("asgi_scope path", lambda s: ctx(name="generic ASGI request", asgi_scope={"path": f"/health{s}"})),
    ("the op", lambda s: ctx(op=f"gen_ai.{s}")),
    ("the origin", lambda s: {"transaction_context": {"name": "x", "op": "y", "origin": s}}),
    ("an attribute a rule reads", lambda s: ctx(op="q", data={"app.model": f"gpt-{s}"})),
    ("a custom value a rule reads", lambda s: ctx(op="q", user={"tier": f"pro{s}"})),
    ("an attribute key scanned for gen_ai.", lambda s: ctx(op="q", data={f"gen_ai.{s}": 1})),
]


@pytest.mark.parametrize("case", LONE_CASES, ids=[c[0] for c in LONE_CASES])
def test_a_lone_surrogate_reads_as_u_fffd_as_in_javascript(case: Tuple[str, Any]) -> None:
    # A str with a lone surrogate has no UTF-8 form. It reads as U+FFFD, as JavaScript's
    # strings do (tests/js/hostile.test.mjs), so one context decides the same in both
    # languages: the decision is that of the same context with U+FFFD, and no fallback.
    label, make = case
    sampler, control = TracesSampler(POLICY), TracesSampler(POLICY)
    for lone in LONE:
        assert decide(sampler, make(lone)) == decide(control, make("\ufffd")), label
        assert sampler.explain(make(lone))["reason"] == control.explain(make("\ufffd"))["reason"], label
    assert sampler.stats() == control.stats(), label
    assert sampler.stats()["fallbacks"] == 0, label


def test_a_lone_surrogate_where_nothing_reads_it_changes_nothing() -> None:
    sampler = TracesSampler(POLICY)
    assert decide(sampler, ctx(op="q", data={"other": "\ud800"}, user={"\ud800": "pro"})) == 0.2
    assert decide(sampler, ctx(op="q", data={"\ud800": 1})) == 0.2
    assert sampler.stats()["fallbacks"] == 0


TEN_MB_CASES: List[Tuple[str, Any, float]] = [
    ("PATH_INFO", wsgi("/health" + TEN_MB), 0.2),
    ("PATH_INFO, parent sampled", wsgi("/" + TEN_MB, parent_sampled=True), 1.0),
    ("asgi_scope path", ctx(name="generic ASGI request", asgi_scope={"path": TEN_MB}), 0.2),
    ("the op, parent rate 0.25", ctx(op=TEN_MB, parent_sampled=True, parent_sample_rate=0.25), 0.25),
    ("the origin", {"transaction_context": {"name": "x", "op": "y", "origin": TEN_MB}}, 0.2),
    ("an attribute a rule reads", ctx(op="q", data={"app.model": TEN_MB}), 0.2),
    ("a custom value a rule reads", ctx(op="q", user={"tier": TEN_MB}), 0.2),
    ("REQUEST_METHOD", ctx(name="generic WSGI request", wsgi_environ={"REQUEST_METHOD": TEN_MB, "PATH_INFO": "/search/x"}), 0.2),
]


@pytest.mark.parametrize("case", TEN_MB_CASES, ids=[c[0] for c in TEN_MB_CASES])
def test_a_10_mb_string_where_it_is_read_is_a_fallback(case: Tuple[str, Any, float]) -> None:
    # test_api.py covers a 10 MB name; these are the other fields.
    label, context, want = case
    sampler = TracesSampler(POLICY)
    assert decide(sampler, context) == want, label
    assert sampler.stats()["fallbacks"] == 1, label


def test_10_mb_strings_in_error_events_fall_back_to_errors_default_rate() -> None:
    errors = ErrorSampler({"defaultRate": 1, "errors": {"defaultRate": 0.5, "rules": [
        {"id": "m", "when": {"message": "boom*"}, "rate": 0}, {"id": "t", "when": {"tags": {"t": "x"}}, "rate": 0}]}})
    for event in ({"message": TEN_MB}, {"logentry": {"message": "boom" + TEN_MB}}, {"tags": {"t": TEN_MB}}):
        assert errors(event, None) == 0.5
    assert errors.stats()["fallbacks"] == 3
    assert errors({"message": "boom"}, None) == 0.0  # the control: the rule is read
    # Lone surrogates read as U+FFFD (see above): "boom\ufffd" matches boom*, no fallback.
    assert errors({"message": "boom\ud800"}, None) == 0.0
    assert errors({"tags": {"t": "\ud800"}}, None) == 0.5
    assert errors.stats()["fallbacks"] == 3


def test_a_10_mb_policy_is_refused_by_size() -> None:
    for policy in ('{"defaultRate": 0.1, "description": "' + TEN_MB + '"}', {"defaultRate": 0.1, "description": TEN_MB}):
        with pytest.raises(PolicyError, match=r"policy text is 10000039 bytes \(at most 1048576\)"):
            TracesSampler(policy)


def errors_at(rate: float) -> Any:
    return {"defaultRate": 1, "errors": {"defaultRate": rate}}


SAMPLE_RANDS = [1.5, 2, float("inf"), float("nan"), "1.5", "nan", "inf", "1e309", 10**400, "\ud800", "9" * 100_000,
                -0.5, float("-inf"), "-0.5", "-1e309"]


@pytest.mark.parametrize("rand", SAMPLE_RANDS, ids=lambda r: repr(r)[:12])
def test_error_sample_rand_outside_0_1_is_ignored(rand: Any) -> None:
    # At rate 1 an event is kept unless an out-of-range sample_rand is compared (1.5 < 1 is
    # false); at rate 0 it is dropped unless -0.5 < 0 is compared. With the trace id, the
    # trace id's sample_rand decides, as if the bad one were absent.
    trace_id = "771a43a4192642f0b136d5159a501700"

    def event(with_id: bool) -> Any:
        trace: Any = {"dynamic_sampling_context": {"sample_rand": rand}}
        if with_id:
            trace["trace_id"] = trace_id
        return {"level": "error", "contexts": {"trace": trace}}

    keep, drop = ErrorSampler(errors_at(1)), ErrorSampler(errors_at(0))
    half = ErrorSampler(errors_at(0.5))
    assert keep(event(False)) == 1.0
    assert drop(event(False)) == 0.0
    assert half(event(False)) == 0.5
    from_id = half({"level": "error", "contexts": {"trace": {"trace_id": trace_id}}})
    assert from_id in (0.0, 1.0)
    assert half(event(True)) == from_id
    assert half.explain(event(False))["sampled"] is None
    # Ignored, and counted: each decision above that read it (not explain, not the trace id alone).
    assert (keep.stats()["fallbacks"], drop.stats()["fallbacks"], half.stats()["fallbacks"]) == (1, 1, 2)


def test_error_sample_rand_inside_0_1_is_compared() -> None:
    # The control for the test above.
    half = ErrorSampler(errors_at(0.5))
    rand = lambda r: {"contexts": {"trace": {"dynamic_sampling_context": {"sample_rand": r}}}}  # noqa: E731
    assert (half(rand(0.1)), half(rand("0.9")), half(rand(0.0))) == (1.0, 0.0, 1.0)


def deep_condition(depth: int) -> Any:
    c: Any = {"path": "/x"}
    for _ in range(depth):
        c = {"not": c}
    return c


def test_a_100000_deep_policy_dict_raises_a_clear_error_and_nothing_breaks() -> None:
    deep = {"defaultRate": 0.1, "rules": [{"id": "d", "when": deep_condition(100_000), "rate": 1}]}
    deep_errors = {"defaultRate": 1, "errors": {"rules": [{"id": "e", "when": deep_condition(100_000), "rate": 0}]}}
    for make in (TracesSampler, ErrorSampler):
        for policy in (deep, deep_errors):
            with pytest.raises(PolicyError, match=r"policy: cannot be written as JSON \(nested deeper than 128"):
                make(policy)
    assert decide(TracesSampler(POLICY), wsgi("/healthz")) == 0.0


def test_a_deep_policy_dict_with_a_raised_recursion_limit_does_not_crash() -> None:
    # json.dumps recurses in C: with the recursion limit raised, 100,000 levels used to
    # overflow the C stack (a segfault). The depth is checked first, without recursion.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000_000)
    try:
        with pytest.raises(PolicyError, match="nested deeper than 128"):
            TracesSampler({"defaultRate": 0.1, "rules": [{"id": "d", "when": deep_condition(100_000), "rate": 1}]})
    finally:
        sys.setrecursionlimit(limit)


def test_a_cyclic_policy_dict_is_a_policy_error() -> None:
    policy: Any = {"defaultRate": 0.1, "rules": []}
    policy["rules"].append(policy)
    with pytest.raises(PolicyError, match="policy: cannot be written as JSON") as raised:
        TracesSampler(policy)
    assert [(p.path, p.message[:27]) for p in raised.value.problems] == [("policy", "cannot be written as JSON (")]
    with pytest.raises(PolicyError, match=r"policy: cannot be written as JSON \(TypeError: Object of type set"):
        TracesSampler({"defaultRate": 0.1, "rules": [{"id": "s", "when": {"path": {"/a"}}, "rate": 1}]})


def test_deep_policies_json_can_write_are_a_policy_error() -> None:
    text = ('{"defaultRate": 0.1, "rules": [{"id": "d", "rate": 1, "when": ' + '{"not": ' * 100_000 + '{"path": "/x"}'
            + "}" * 100_000 + "}]}")
    with pytest.raises(PolicyError, match="recursion limit exceeded"):
        TracesSampler(text)
    with pytest.raises(PolicyError, match="nested deeper than 128"):
        TracesSampler({"defaultRate": 0.1, "rules": [{"id": "d", "when": deep_condition(500), "rate": 1}]})
    # Within the depth limit, the core's own nesting limit for conditions (32) reports it.
    with pytest.raises(PolicyError, match="conditions nest deeper than 32"):
        TracesSampler({"defaultRate": 0.1, "rules": [{"id": "d", "when": deep_condition(40), "rate": 1}]})


def test_policy_values_json_cannot_carry_are_refused() -> None:
    for policy in ({"defaultRate": float("nan")}, {"defaultRate": float("inf")},
                   {"defaultRate": 0.1, "rules": [{"id": "a\ud800", "when": {"path": "/a"}, "rate": 1}]}):
        with pytest.raises(PolicyError):
            TracesSampler(policy)


def test_a_lone_surrogate_raw_in_policy_text_reads_as_u_fffd() -> None:
    # As in JavaScript (tests/js/hostile.test.mjs): raw in text, a lone surrogate reads as
    # U+FFFD; escaped in a dict (json.dumps writes \ud800) it is invalid JSON, refused above.
    sampler = TracesSampler('{"defaultRate": 0.1, "rules": [{"id": "r", "when": {"name": "a\ud800"}, "rate": 1}]}')
    assert decide(sampler, ctx(name="a\ufffd")) == 1.0
    assert decide(sampler, ctx(name="a\ud800")) == 1.0
    assert decide(sampler, ctx(name="a")) == 0.1
