"""One declarative sampling policy for every Sentry SDK.

``TracesSampler(policy)`` is a ``traces_sampler`` and ``ErrorSampler(policy)`` an
``error_sampler`` for ``sentry_sdk.init``, both decided by the Rust core of tracesieve from
one JSON policy (a path, a JSON string or a dict)::

    import sentry_sdk
    from tracesieve import TracesSampler, ErrorSampler

    sentry_sdk.init(dsn=..., traces_sampler=TracesSampler("sampling.json"),
                    error_sampler=ErrorSampler("sampling.json"))
"""

from tracesieve._core import ErrorSampler, TracesSampler, __version__
from tracesieve._errors import PolicyError, Problem

__all__ = ["ErrorSampler", "PolicyError", "Problem", "TracesSampler", "__version__"]
