"""Every case of tests/vectors/*.json against the installed wheel: the same answers as Rust.

Python-shaped cases (`"sdk": "python"`) go through the public API (`TracesSampler`,
`ErrorSampler`, their `explain`); every shape also goes through `_core._decide`, which
picks the core adapter the case names, over Python objects. Request objects
(`aiohttp_request`, ...) become objects with attributes, and `exc_info` classes become
real exception classes, as sentry-sdk passes them.
"""

import json
import os
import pathlib
import tempfile
import types
from typing import Any, Dict, List, Optional, Tuple

import pytest

import tracesieve
from tracesieve import _core
from conftest import REPO

# tests/vectors/*.json, and the files in TRACESIEVE_EXTRA_VECTORS (`:`-separated; `make test`
# passes the generated differential cases this way).
EXTRA = [pathlib.Path(p) for p in os.environ.get("TRACESIEVE_EXTRA_VECTORS", "").split(":") if p]
VECTORS = sorted((REPO / "tests" / "vectors").glob("*.json")) + EXTRA
REQUEST_OBJECTS = ("aiohttp_request", "tornado_request", "sanic_request")
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE")


def cases() -> List[Any]:
    out = []
    for path in VECTORS:
        doc = json.loads(path.read_text())
        for case in doc["cases"]:
            out.append(pytest.param(doc, case, id=f"{path.stem}: {case['name']}"))
    return out


def policy_text(doc: Dict[str, Any], case: Dict[str, Any]) -> str:
    if "policyText" in case:
        return str(case["policyText"])
    if "policyRef" in case:
        return json.dumps(doc["policies"][case["policyRef"]])
    return json.dumps(case["policy"])


def exception_class(spec: Any) -> Any:
    """A real class for an `exc_info[0]` written as {"__module__", "__qualname__"}."""
    if not isinstance(spec, dict):
        return spec
    qualname = spec.get("__qualname__") or spec.get("__name__") or "Error"
    attrs = {"__module__": spec.get("__module__"), "__qualname__": qualname}
    return type(qualname.rsplit(".", 1)[-1], (Exception,), attrs)


def python_shape(context: Any, kind: str) -> Any:
    """The JSON context as sentry-sdk passes it: objects where the SDK passes objects."""
    if kind == "error":
        hint = context.get("hint")
        if isinstance(hint, dict) and isinstance(hint.get("exc_info"), list):
            exc_info = hint["exc_info"]
            hint = dict(hint, exc_info=(exception_class(exc_info[0]),) + tuple(exc_info[1:]))
        return {"event": context.get("event"), "hint": hint}
    if not isinstance(context, dict):
        return context
    out = dict(context)
    for key in REQUEST_OBJECTS:
        if isinstance(out.get(key), dict):
            out[key] = types.SimpleNamespace(**out[key])
    return out


def rust_shape_as_canonical(ctx: Dict[str, Any]) -> Dict[str, Any]:
    """A `{name, op, sampled, custom}` Rust TransactionContext in the canonical shape, as
    core/src/sentry.rs reads it: sampled is the parent decision, custom doubles as the
    attributes, sentry.sample_rate / sentry.sample_rand carry the parent rate and rand."""
    custom = ctx.get("custom") or {}
    name = ctx.get("name") or ""
    verb, _, rest = name.partition(" ")
    from_name = verb in METHODS and rest.startswith("/")
    out: Dict[str, Any] = {"name": name, "op": ctx.get("op") or "", "attributes": custom, "custom": custom}
    method = custom.get("http.request.method")
    out["method"] = method if isinstance(method, str) else (verb if from_name or name in METHODS else None)
    path = custom.get("url.path")
    out["path"] = path if isinstance(path, str) else (rest.split("?")[0].split("#")[0] if from_name else None)
    out["parentSampled"] = ctx.get("sampled")
    out["parentSampleRate"] = custom.get("sentry.sample_rate")
    out["sampleRand"] = custom.get("sentry.sample_rand")
    return out


def decide_public(text: str, context: Any, kind: str) -> Tuple[float, str, Optional[str]]:
    """The public API: the call's rate, explain's reason and rule id."""
    if kind == "error":
        errors = tracesieve.ErrorSampler(text)
        explained = errors.explain(context["event"], context["hint"])
        return explained["rate"], explained["reason"], explained["rule_id"]
    sampler = tracesieve.TracesSampler(text)
    rate = sampler(context)
    explained = sampler.explain(context)
    assert sampler.stats()["traces"]["total"] == 1, "explain() must not count"
    return rate, explained["reason"], explained["rule_id"]


@pytest.mark.parametrize("doc,case", cases())
def test_vector(doc: Dict[str, Any], case: Dict[str, Any]) -> None:
    text = policy_text(doc, case)
    kind = case.get("kind", "trace")
    sdk = case.get("sdk")
    if "expectError" in case:
        with pytest.raises(tracesieve.PolicyError) as raised:
            if text.lstrip().startswith("{"):
                tracesieve.TracesSampler(text)
            else:  # not a JSON object: pass it as a file, the other way in
                with tempfile.TemporaryDirectory() as tmp:
                    path = pathlib.Path(tmp) / "policy.json"
                    path.write_text(text)
                    tracesieve.TracesSampler(path)
        assert case["expectError"] in str(raised.value)
        assert raised.value.problems, "a PolicyError lists its problems"
        assert isinstance(raised.value, ValueError)
        return

    expect = case["expect"]
    rand = case.get("sampleRand")
    context = case.get("context")
    if sdk == "python":
        context = python_shape(context, kind)
    elif sdk == "rust":
        context = rust_shape_as_canonical(context)
        sdk = None
    rate, reason, rule_id, sampled = _core._decide(text, context, sdk, kind, rand)
    assert (rate, reason, rule_id) == (expect["rate"], expect["reason"], expect.get("ruleId"))
    if "sampled" in expect:
        assert sampled == expect["sampled"]
    if case.get("sdk") == "python":
        assert decide_public(text, context, kind) == (expect["rate"], expect["reason"], expect.get("ruleId"))


def test_every_vector_file_is_run() -> None:
    assert len([v for v in VECTORS if v.parent.name == "vectors" and v.parent.parent.name == "tests"]) >= 10
    # The same floor in every runner (tests/rust/vectors.rs, tests/js/vectors.test.mjs).
    assert len(cases()) >= 800, f"{len(cases())} cases: the corpus must keep at least 800"
