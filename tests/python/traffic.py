"""The bundled traffic (examples/traffic.jsonl) as real sentry-sdk roots.

Each line becomes a transaction continued from the `sentry-trace` and `baggage` headers an
upstream service would send, carrying the trace's `sample_rand` (6 decimals, as Python
writes it) and, when there is an upstream decision, its flag and `sample_rate`. HTTP roots
carry their request as the WSGI integration passes it (`wsgi_environ`).
"""

import json
import pathlib
from typing import Any, Callable, Dict, Iterator, List

import sentry_sdk
from sentry_sdk.transport import Transport

REPO = pathlib.Path(__file__).resolve().parents[2]
TRAFFIC = REPO / "examples" / "traffic.jsonl"
POLICY = REPO / "examples" / "policy.json"


def lines() -> List[Dict[str, Any]]:
    return [json.loads(line) for line in TRAFFIC.read_text().splitlines() if line.strip()]


def headers(line: Dict[str, Any]) -> Dict[str, str]:
    trace_id = line["traceId"]
    parent = line.get("parent")
    flag = "" if parent is None else ("-1" if parent["sampled"] else "-0")
    baggage = f"sentry-trace_id={trace_id},sentry-sample_rand={line['sampleRand']:.6f}"
    if parent is not None:
        baggage += f",sentry-sample_rate={parent['sampleRate']}"
    return {"sentry-trace": f"{trace_id}-{trace_id[16:]}{flag}", "baggage": baggage}


def custom_context(line: Dict[str, Any]) -> Dict[str, Any]:
    if "path" not in line:
        return {}
    path, _, query = line["path"].partition("?")
    environ = {"REQUEST_METHOD": line["method"], "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query,
               "HTTP_USER_AGENT": "traffic/1.0"}
    return {"wsgi_environ": environ}


def run_root(line: Dict[str, Any]) -> None:
    """Starts and finishes the root of one traffic line in its own isolation scope."""
    with sentry_sdk.isolation_scope():
        tx = sentry_sdk.continue_trace(headers(line), op=line["op"], name=line["name"], source="url")
        with sentry_sdk.start_transaction(tx, custom_sampling_context=custom_context(line)):
            pass


class Recording(Transport):
    """Keeps every envelope the SDK would send, instead of sending it."""

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

    def sent_trace_ids(self) -> Iterator[str]:
        for tx in self.transactions():
            yield tx["contexts"]["trace"]["trace_id"]


def sampling_contexts(roots: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The sampling_context dicts sentry-sdk passes to traces_sampler for these roots."""
    seen: List[Dict[str, Any]] = []
    record: Callable[[Dict[str, Any]], float] = lambda ctx: seen.append(ctx) or 0.0
    sentry_sdk.init(dsn="http://public@127.0.0.1:9/1", transport=Recording(), traces_sampler=record,
                    default_integrations=False)
    for line in roots:
        run_root(line)
    sentry_sdk.get_client().close()
    return seen
