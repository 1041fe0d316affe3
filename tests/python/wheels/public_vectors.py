"""The vector cases a shipped wheel decides through its public API alone.

A shipped wheel has no `_core._decide` (the test wheel's `conformance` hook that
test_vectors.py drives every case shape through), so this runs the cases the public API can
take: every Python-shaped case (`"sdk": "python"`, tests/vectors and the differential cases
of TRACESIEVE_EXTRA_VECTORS) through `TracesSampler`/`ErrorSampler` and their `explain`, and
every policy-error case. scripts/test_wheels.py runs it, with the rest of the suite, in a
fresh venv of each CPython for each wheel; the name keeps it out of the main run, which
decides the same cases through test_vectors.py.
"""

from typing import Any, Dict

import pytest

# The module, not its names: a `test_` name imported here would be collected here too.
import test_vectors as vectors

PUBLIC = [p for p in vectors.cases() if p.values[1].get("sdk") == "python" or "expectError" in p.values[1]]


@pytest.mark.parametrize("doc,case,file", PUBLIC)
def test_public_vector(doc: Dict[str, Any], case: Dict[str, Any], file: str) -> None:
    if "expectError" in case:
        vectors.test_vector(doc, case, file)  # the public constructors only, from a string and a file
        return
    kind = case.get("kind", "trace")
    context = vectors.python_shape(case.get("context"), kind)
    expect = case["expect"]
    decided = vectors.decide_public(vectors.policy_text(doc, case), context, kind)
    assert decided == (expect["rate"], expect["reason"], expect.get("ruleId"))


def test_the_public_cases_cover_both_kinds() -> None:
    kinds = {p.values[1].get("kind", "trace") for p in PUBLIC if "expectError" not in p.values[1]}
    assert kinds == {"trace", "error"} and len(PUBLIC) >= 200, f"{len(PUBLIC)} cases of kinds {kinds}"
