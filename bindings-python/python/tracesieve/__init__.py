"""One declarative sampling policy for every Sentry SDK.

``TracesSampler(policy)`` is a ``traces_sampler`` and ``ErrorSampler(policy)`` an
``error_sampler`` for ``sentry_sdk.init``, both decided by the Rust core of tracesieve from
one JSON policy (a path, a JSON string or a dict)::

    import sentry_sdk
    from tracesieve import TracesSampler, ErrorSampler

    sentry_sdk.init(dsn=..., traces_sampler=TracesSampler("sampling.json"),
                    error_sampler=ErrorSampler("sampling.json"))

``TracesSampler(policy, record=record_to_file("roots.jsonl", record_rate=0.1))`` also
records the roots it decides as traffic lines for ``tracesieve simulate`` and ``diff``.
"""

from tracesieve._core import ErrorSampler, TracesSampler, __version__
from tracesieve._errors import PolicyError, Problem
from tracesieve._record import RecordToFile, record_to_file

__all__ = ["ErrorSampler", "PolicyError", "Problem", "RecordToFile", "TracesSampler", "__version__", "record_to_file"]
