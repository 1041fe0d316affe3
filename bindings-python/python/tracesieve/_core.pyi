"""The compiled core of tracesieve (Rust, pyo3)."""

import os
from typing import Any, Callable, Dict, List, Mapping, Optional, Union, final

__all__ = ["ErrorSampler", "TracesSampler", "__version__", "run_cli"]
__version__: str

_Policy = Union[str, "os.PathLike[str]", Mapping[str, Any]]

@final
class TracesSampler:
    """``traces_sampler`` for ``sentry_sdk.init``: ``(sampling_context) -> float``.

    Built from a policy (a path, a JSON string or a dict); raises
    :class:`tracesieve.PolicyError` listing every problem. Immutable and thread-safe;
    never raises when called and always returns a rate in [0, 1].

    ``record``, when given, is called with each recorded root as a traffic line (JSON text,
    one line, no newline) for ``tracesieve simulate`` and ``diff``: the canonical fields,
    the parent, the attribute and custom keys the policy reads and those of
    ``record_keys`` (``{"attributes": [...], "custom": [...]}``), ``sampleRand`` when
    ``sample_rand(sampling_context)`` gives it, a timestamp and the decision; nothing else.
    ``record_rate`` (default: ``record.record_rate``, else 1) is the share of roots
    recorded (every 1/record_rate-th). An exception in ``record`` never changes a decision.
    """

    def __new__(
        cls,
        policy: _Policy,
        *,
        record: Optional[Callable[[str], Any]] = None,
        record_keys: Optional[Mapping[str, List[str]]] = None,
        record_rate: Optional[float] = None,
        sample_rand: Optional[Callable[[Any], Optional[float]]] = None,
    ) -> "TracesSampler": ...
    @staticmethod
    def from_env() -> "TracesSampler":
        """The sampler of the policy in ``TRACESIEVE_POLICY`` (a path or inline JSON)."""
    def __call__(self, sampling_context: Any) -> float:
        """The sample rate for one root."""
    def explain(self, sampling_context: Any) -> Dict[str, Any]:
        """The decision (``rate``, ``reason``, ``rule_id``, ``sampled``) and the fields read."""
    def stats(self) -> Dict[str, Any]:
        """Decision counters: ``{"traces": ..., "errors": ..., "fallbacks": n}``."""

@final
class ErrorSampler:
    """``error_sampler`` for ``sentry_sdk.init``: ``(event, hint) -> float``.

    Trace-consistent: when the event carries its trace, returns ``1.0`` or ``0.0`` from the
    trace's randomness, so every error of one trace shares one fate.
    """

    def __new__(cls, policy: _Policy) -> "ErrorSampler": ...
    @staticmethod
    def from_env() -> "ErrorSampler":
        """The sampler of the policy in ``TRACESIEVE_POLICY`` (a path or inline JSON)."""
    def __call__(self, event: Any, hint: Optional[Any] = None) -> float:
        """The rate for one error event."""
    def explain(self, event: Any, hint: Optional[Any] = None) -> Dict[str, Any]:
        """The decision and the fields read, without counting it."""
    def stats(self) -> Dict[str, Any]:
        """Decision counters: ``{"traces": ..., "errors": ..., "fallbacks": n}``."""

def run_cli(args: List[str]) -> int:
    """Runs the tracesieve command line (``python -m tracesieve``) on ``args``; returns the exit code."""
