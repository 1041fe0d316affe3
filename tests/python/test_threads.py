"""8 threads sharing one TracesSampler and one ErrorSampler, on varied contexts (the traffic
and hostile ones, mixed.py): every decision equals the single-threaded one, and every
counter (total, each reason, each rule, fallbacks, errors) equals the single-threaded count
exactly. test_api.py checks a few counters on 4 simple contexts; this checks all of them,
and the decisions, on the whole mix, with the interpreter switching threads very often.
"""

import sys
import threading
from typing import Any, Dict, List

import pytest

from tracesieve import ErrorSampler, TracesSampler
import mixed

THREADS = 8
ROUNDS = 20


@pytest.fixture
def often_switching() -> Any:
    """Makes the interpreter switch threads as often as it can while the test runs."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def single_threaded(contexts: List[Any], events: List[Any]) -> Dict[str, Any]:
    """Decisions and counters of ROUNDS passes over everything, in this thread only."""
    traces, errors = TracesSampler(mixed.POLICY), ErrorSampler(mixed.POLICY)
    rates = [traces(c) for c in contexts]
    kept = [errors(e, h) for e, h in events]
    for _ in range(ROUNDS - 1):
        for c in contexts:
            traces(c)
        for e, h in events:
            errors(e, h)
    return {"rates": rates, "kept": kept, "traces": traces.stats(), "errors": errors.stats()}


def test_eight_threads_decide_as_one_and_every_counter_sums_exactly(often_switching: Any) -> None:
    contexts, events = mixed.contexts(), mixed.events()
    want = single_threaded(contexts, events)
    traces, errors = TracesSampler(mixed.POLICY), ErrorSampler(mixed.POLICY)
    barrier = threading.Barrier(THREADS)
    rates: Dict[int, List[float]] = {}
    kept: Dict[int, List[float]] = {}
    failures: List[BaseException] = []

    def work(index: int) -> None:
        # Thread i decides contexts i, i + 8, i + 16, ... and events likewise, ROUNDS times.
        try:
            mine, my_events = contexts[index::THREADS], events[index::THREADS]
            barrier.wait()
            rates[index] = [traces(c) for c in mine]
            kept[index] = [errors(e, h) for e, h in my_events]
            for _ in range(ROUNDS - 1):
                for c in mine:
                    traces(c)
                for e, h in my_events:
                    errors(e, h)
        except BaseException as e:  # reported below: a thread's exception would be lost
            failures.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    # Every decision, in the single-threaded order.
    for i in range(THREADS):
        assert rates[i] == want["rates"][i::THREADS], f"thread {i}"
        assert kept[i] == want["kept"][i::THREADS], f"thread {i}: errors"
    # Every counter of the shared samplers: the whole dicts, fallbacks included.
    assert traces.stats() == want["traces"]
    assert errors.stats() == want["errors"]
    assert want["traces"]["traces"]["total"] == ROUNDS * len(contexts)
    assert want["errors"]["errors"]["total"] == ROUNDS * len(events)
    # The mix does exercise fallbacks and every rule.
    assert want["traces"]["fallbacks"] >= ROUNDS * 8
    assert all(n > 0 for n in want["traces"]["traces"]["by_rule"].values()), want["traces"]["traces"]["by_rule"]
