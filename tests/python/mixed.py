"""Varied sampling contexts and error events for the soak (soak.py) and the thread test
(test_threads.py): every root of the bundled traffic as sentry-sdk passes it to
traces_sampler, then hostile contexts (fallbacks, invalid parent rates, lone surrogates,
huge strings, raising objects). Deterministic: the same list, in the same order, each call.
"""

import json
from typing import Any, Dict, List, Optional, Tuple

import sentry_sdk

import traffic

# The bundled policy, plus a custom-context rule and an attribute rule so those are read too.
POLICY: Dict[str, Any] = json.loads(traffic.POLICY.read_text())
POLICY["rules"] += [
    {"id": "tier", "when": {"custom": {"user.tier": "pro"}}, "rate": 0.9},
    {"id": "model", "when": {"attributes": {"app.model": "gpt-*"}}, "rate": 0.8},
]


class RaisingEq(str):
    """A key whose hash collides with "name" and whose comparison raises."""

    def __hash__(self) -> int:
        return hash("name")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("no comparing me")


class RaisingGetattr:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"no {name}")


def ctx(name: Any = "GET /orders", op: Any = "http.server", data: Optional[Dict[str, Any]] = None,
        **top: Any) -> Dict[str, Any]:
    """A sampling_context as sentry-sdk 2.x passes it."""
    return {"transaction_context": {"name": name, "op": op, "data": data or {}}, "parent_sampled": None, **top}


def wsgi(path: str, **top: Any) -> Dict[str, Any]:
    return ctx(name="generic WSGI request", wsgi_environ={"REQUEST_METHOD": "GET", "PATH_INFO": path}, **top)


def hostile() -> List[Tuple[str, Any]]:
    """Hostile contexts, by label."""
    ten_mb = "a" * 10_000_000
    return [
        ("None", None),
        ("a list", [1, 2]),
        ("transaction_context is a string", {"transaction_context": "GET /", "parent_sampled": False}),
        ("name is bytes", ctx(name=b"GET /orders")),
        ("a key whose __eq__ raises", {"transaction_context": {RaisingEq("name"): "x", "op": None}, "parent_sampled": True}),
        ("a request object whose attributes raise", ctx(name="generic AIOHTTP request", aiohttp_request=RaisingGetattr())),
        ("a 10 MB path, parent unsampled", wsgi("/" + ten_mb, parent_sampled=False)),
        ("a 10 MB custom value", ctx(user={"tier": ten_mb})),
        ("a lone surrogate in the path", wsgi("/health\ud800")),
        ("a lone surrogate in the op, parent sampled", ctx(op="gen_ai.\ud800", parent_sampled=True)),
        ("parent_sample_rate NaN", ctx(parent_sampled=True, parent_sample_rate=float("nan"))),
        ("parent_sample_rate inf", ctx(parent_sampled=False, parent_sample_rate=float("inf"))),
        ("parent_sample_rate -1", ctx(parent_sample_rate=-1)),
        ("parent_sample_rate 2", ctx(parent_sampled=True, parent_sample_rate=2)),
        ("a custom tier", ctx(name="job", op="queue.task", user={"tier": "pro"})),
        ("a model attribute", ctx(name="job", op="queue.task", data={"app.model": "gpt-4o"})),
    ]


_traffic: List[Dict[str, Any]] = []


def contexts() -> List[Any]:
    """Every traffic root (recorded once from the real sentry-sdk), then the hostile contexts."""
    if not _traffic:
        _traffic.extend(traffic.sampling_contexts(traffic.lines()))
        sentry_sdk.init(default_integrations=False)  # a disabled client (see conftest.py)
    return list(_traffic) + [c for _, c in hostile()]


class MyIgnoredException(Exception):
    pass


class MyException(Exception):
    pass


def _with_rand(rand: Any) -> Dict[str, Any]:
    return {"level": "error", "contexts": {"trace": {"dynamic_sampling_context": {"sample_rand": rand}}}}


def events() -> List[Tuple[Any, Any]]:
    """`(event, hint)` pairs for ErrorSampler: rules, valid and invalid sample_rand, hostile events."""
    return [
        ({"level": "error"}, {"exc_info": (MyIgnoredException, MyIgnoredException("x"), None)}),
        (_with_rand("0.1"), {"exc_info": (MyException, MyException("boom"), None)}),
        (_with_rand(0.9), {"exc_info": (MyException, MyException("boom"), None)}),
        (_with_rand(1.5), None),
        (_with_rand(float("nan")), {"exc_info": (KeyError, KeyError("k"), None)}),
        ({"message": "m" * 200_000}, None),
        (None, None),
        ("not an event", 7),
    ]
