"""docs/policy.schema.json against the conformance vectors (tests/vectors/*.json).

Every policy that decides (a case with `expect`) must validate. Every policy the engine
rejects (`expectError`) must fail the schema, except the cases listed in NOT_IN_SCHEMA:
checks that JSON Schema cannot express. Those must still *pass* the schema, so the list
stays exact (a schema that learns to reject one fails here until it leaves the list).
"""

import json
import os
import pathlib
import re
from typing import Any, Dict, List

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO

SCHEMA_PATH = REPO / "docs" / "policy.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text())
VALIDATOR = Draft202012Validator(SCHEMA)

# tests/vectors/*.json, and the generated differential cases when `make test` passes them.
EXTRA = [pathlib.Path(p) for p in os.environ.get("TRACESIEVE_EXTRA_VECTORS", "").split(":") if p]
VECTORS = sorted((REPO / "tests" / "vectors").glob("*.json")) + [p for p in EXTRA if p.exists()]

# Error cases (tests/vectors/policy_errors.json, by name) that the schema accepts, and why.
NOT_IN_SCHEMA = {
    # Ids are unique across trace rules, error rules and the built-in genAi rule:
    # `uniqueItems` compares whole items, not one key, and spans only one array.
    "id: duplicate user ids": "unique ids",
    "id: user id genAi while the built-in rule is enabled by default": "unique ids",
    "id: user id genAi while genAi is an object": "unique ids",
    "id: error rule reusing a trace rule id": "unique ids",
    "id: duplicate error rule ids": "unique ids",
    # A JSON parser keeps the last of repeated keys; the schema sees one value.
    "repeated key: a second rules array would silently drop the first": "repeated keys",
    "repeated key: inside a condition": "repeated keys",
    "repeated key: a dotted custom key": "repeated keys",
    "repeated key: at the top level, thrice": "repeated keys",
    # Route templates are parsed segment by segment (parameter names, rest wildcards last).
    "route: a parameter with no name": "route templates",
    "route: empty braces": "route templates",
    "route: a Flask converter with no name": "route templates",
    "route: a parameter mixed with text": "route templates",
    "route: a wildcard inside a segment": "route templates",
    "route: a rest wildcard before the last segment": "route templates",
    "route: :name* before the last segment": "route templates",
    "route: in an error rule on message": "route templates",
    # Lower case by Unicode (char::is_lowercase), and only without ignoreCase beside it.
    "method: a lower-case glob never matches": "lower-case methods",
    "method: a lower-case item of an array of globs": "lower-case methods",
    "method: a lower-case eq operator": "lower-case methods",
    "method: a lower-case prefix inside any": "lower-case methods",
    "method: a lower-case pattern in an override rule": "lower-case methods",
    # Limits: nesting depth is recursion through $ref; a glob's 4 KiB are UTF-8 bytes, while
    # maxLength counts characters. (The 32-key custom path limit is in the schema.)
    "limit: conditions nested 33 deep": "limits",
    "limit: a glob longer than 4 KiB": "limits",
}


def policy_of(doc: Dict[str, Any], case: Dict[str, Any]) -> Any:
    """The case's policy as a JSON value; a KeyError/ValueError for text that is not JSON."""
    if "policyText" in case:
        return json.loads(case["policyText"])
    if "policyRef" in case:
        return doc["policies"][case["policyRef"]]
    return case["policy"]


def cases(kind: str) -> List[Any]:
    out = []
    for path in VECTORS:
        doc = json.loads(path.read_text())
        for case in doc["cases"]:
            if kind in case:
                out.append(pytest.param(doc, case, id=f"{path.stem}: {case['name']}"))
    return out


def errors(policy: Any) -> List[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(policy)]


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("doc,case", cases("expect"))
def test_every_policy_that_decides_validates(doc: Dict[str, Any], case: Dict[str, Any]) -> None:
    assert errors(policy_of(doc, case)) == []


@pytest.mark.parametrize("doc,case", cases("expectError"))
def test_every_rejected_policy_fails_unless_listed(doc: Dict[str, Any], case: Dict[str, Any]) -> None:
    try:
        policy = policy_of(doc, case)
    except ValueError:
        assert "policyText" in case, "only policyText can hold text that is not JSON"
        return  # a JSON syntax error: no schema ever sees it
    found = errors(policy)
    if case["name"] in NOT_IN_SCHEMA:
        assert found == [], f"the schema now rejects this case: remove it from NOT_IN_SCHEMA ({found})"
    else:
        assert found, f"the engine rejects this policy ({case['expectError']!r}) but the schema accepts it"


def test_not_in_schema_names_existing_cases() -> None:
    names = {c.values[1]["name"] for c in cases("expectError")}
    assert set(NOT_IN_SCHEMA) <= names


def test_the_corpus_is_not_empty() -> None:
    assert len(cases("expect")) >= 800
    assert len(cases("expectError")) >= 100


def test_the_documented_and_bundled_policies_validate() -> None:
    """The first example of docs/policy.md, examples/policy.json, and a "$schema" key."""
    doc = (REPO / "docs" / "policy.md").read_text()
    example = json.loads(re.search(r"```json\n(.*?)```", doc, re.S).group(1))  # type: ignore[union-attr]
    assert errors(example) == []
    assert errors(json.loads((REPO / "examples" / "policy.json").read_text())) == []
    assert errors({"$schema": SCHEMA["$id"], "defaultRate": 0.5}) == []


@pytest.mark.parametrize(
    "policy",
    [
        {"defaultRate": 0.1, "rules": [{"when": {"path": {"ignoreCase": True}}, "rate": 1}]},
        {"defaultRate": 0.1, "rules": [{"when": {"custom": {".".join(["k"] * 33): 1}}, "rate": 1}]},
        {"defaultRate": 0.1, "genAi": {"routes": ["/api/\\"]}},
        {"defaultRate": 0.1, "errors": {"rules": [{"when": {"level": {"eq": []}}, "rate": 1}]}},
    ],
    ids=["ignoreCase alone", "a custom path of 33 keys", "a dangling escape", "an empty eq"],
)
def test_the_schema_rejects(policy: Any) -> None:
    assert errors(policy) != []


def test_every_package_ships_this_schema() -> None:
    """The npm package holds a copy (npm pack skips symlinks); the crate and the wheel link to it."""
    shipped_copies = [
        "pkg/policy.schema.json",
        "core/policy.schema.json",
        "bindings-python/python/tracesieve/policy.schema.json",
    ]
    for shipped in shipped_copies:
        assert (REPO / shipped).read_text() == SCHEMA_PATH.read_text(), f"{shipped} differs from docs/policy.schema.json"
