"""Shared helpers: the real sentry-sdk with a transport that records envelopes."""

import pathlib
from typing import Any, Dict, Iterator, List

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

REPO = pathlib.Path(__file__).resolve().parents[2]
DSN = "http://public@127.0.0.1:9/1"


class RecordingTransport(Transport):
    """Keeps every envelope the SDK would send."""

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.envelopes: List[Any] = []

    def capture_envelope(self, envelope: Any) -> None:
        self.envelopes.append(envelope)

    def flush(self, timeout: float, callback: Any = None) -> None:
        pass

    def items(self, kind: str) -> List[Dict[str, Any]]:
        """The JSON payloads of every item of type `kind` (`transaction`, `event`)."""
        return [i.payload.json for e in self.envelopes for i in e.items if i.type == kind]

    def transactions(self) -> List[Dict[str, Any]]:
        return self.items("transaction")

    def errors(self) -> List[Dict[str, Any]]:
        return self.items("event")


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
    sentry_sdk.init()  # a disabled client for whatever runs next


def trace_id_of(tx: Dict[str, Any]) -> str:
    """The trace id of a sent transaction or error event."""
    return str(tx["contexts"]["trace"]["trace_id"])
