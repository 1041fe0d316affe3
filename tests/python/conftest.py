"""Shared helpers: the real sentry-sdk with a transport that records envelopes."""

import pathlib
from typing import Any, Dict, Iterator, List

import pytest
import sentry_sdk

from traffic import Recording

REPO = pathlib.Path(__file__).resolve().parents[2]
DSN = "http://public@127.0.0.1:9/1"


# The transport that records envelopes is shared with the demo and the benchmark.
RecordingTransport = Recording


@pytest.fixture
def sentry() -> Iterator[Any]:
    """`sentry(**options)` initialises the real SDK with a RecordingTransport and returns it."""
    made: List[Any] = []

    def init(**options: Any) -> RecordingTransport:
        transport = RecordingTransport()
        options.setdefault("default_integrations", False)
        sentry_sdk.init(dsn=DSN, transport=transport, **options)
        made.append(transport)
        return transport

    yield init
    sentry_sdk.get_client().close()
    # A disabled client for whatever runs next, without integrations: a default init would
    # mark the AI integrations that langchain and pydantic_ai auto-deactivate (openai,
    # anthropic, google_genai) as processed, and no later init could enable them.
    sentry_sdk.init(default_integrations=False)


def trace_id_of(tx: Dict[str, Any]) -> str:
    """The trace id of a sent transaction or error event."""
    return str(tx["contexts"]["trace"]["trace_id"])
