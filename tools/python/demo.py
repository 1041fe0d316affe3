"""`make demo`'s Python column: the bundled policy on the bundled traffic, through the real
sentry-sdk, counted from the envelopes it sends (target/demo/python.json, format in
examples/README.md)."""

import json
import os
import sys
from typing import Any, Dict

import sentry_sdk

# The bundled traffic is shared with the tests.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "python"))
import traffic  # noqa: E402
from tracesieve import TracesSampler  # noqa: E402


def row(explained: Dict[str, Any]) -> str:
    if explained["rule_id"]:
        return str(explained["rule_id"])
    return {"parent": "(parent)", "forced": "(forced)"}.get(explained["reason"], "(default)")


def main() -> None:
    sampler = TracesSampler(traffic.POLICY)
    row_of: Dict[str, str] = {}

    def traces_sampler(ctx: Dict[str, Any]) -> float:
        row_of[ctx["transaction_context"]["trace_id"]] = row(sampler.explain(ctx))
        return sampler(ctx)

    transport = traffic.Recording()
    sentry_sdk.init(dsn="http://public@127.0.0.1:9/1", transport=transport, traces_sampler=traces_sampler,
                    default_integrations=False)
    lines = traffic.lines()
    for line in lines:
        traffic.run_root(line)
    sentry_sdk.get_client().close()

    kept: Dict[str, int] = {}
    for trace_id in transport.sent_trace_ids():
        kept[row_of.get(trace_id, "(unknown)")] = kept.get(row_of.get(trace_id, "(unknown)"), 0) + 1
    out = traffic.REPO / "target" / "demo"
    out.mkdir(parents=True, exist_ok=True)
    column = {"column": f"python (sentry-sdk {sentry_sdk.VERSION})", "kept": dict(sorted(kept.items()))}
    (out / "python.json").write_text(json.dumps(column, indent=2) + "\n")
    decided = sampler.stats()["traces"]["total"]
    print(f"python: {len(lines)} roots through sentry-sdk {sentry_sdk.VERSION}, {decided} decided, "
          f"{sum(kept.values())} sent -> target/demo/python.json")


if __name__ == "__main__":
    main()
