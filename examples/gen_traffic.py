"""Writes examples/traffic.jsonl: a deterministic, realistic mix of trace roots.

Each line is one root span as it reaches a service, in a shape every language's demo can
turn into a real SDK root:

  traceId     32 hex digits
  sampleRand  the trace's sample_rand (6 decimals, as Python and Ruby write it); every
              demo continues the trace with it through the SDK's own trace continuation
  name, op    the root's name and operation
  method, path  the HTTP request, for http.server roots (absent otherwise)
  attributes  start attributes (gen_ai.* for AI roots)
  parent      null for a new trace, else {"sampled": bool, "sampleRate": float}: the
              upstream decision carried by sentry-trace and baggage

Run: python3 examples/gen_traffic.py > examples/traffic.jsonl
"""

import json
import random

rng = random.Random(20261121)

ROUTES = [
    # (weight, method, path template)
    (30, "GET", "/api/orders/{id}"),
    (12, "POST", "/api/orders"),
    (10, "GET", "/api/users/{id}"),
    (14, "GET", "/healthz"),
    (6, "GET", "/health/live"),
    (4, "GET", "/ready"),
    (10, "POST", "/payment/checkout"),
    (4, "POST", "/payments/refund"),
    (12, "GET", "/search?q={q}"),
    (2, "POST", "/search/reindex"),
    (6, "POST", "/api/chat"),
    (3, "POST", "/api/agent/run"),
    (2, "POST", "/api/generate/summary"),
    (5, "GET", "/products?page={id}"),
]

AI_ROOTS = [
    ("invoke_agent triage", "gen_ai.invoke_agent", {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "triage"}),
    ("chat gpt-4o", "gen_ai.chat", {"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o"}),
    ("embeddings text-embedding-3-small", "gen_ai.embeddings", {"gen_ai.request.model": "text-embedding-3-small"}),
]

JOBS = [("tasks.send_email", "queue.task.celery"), ("nightly-report", "function.aws"), ("cleanup", "cron")]


def trace_id():
    return "%032x" % rng.getrandbits(128)


def parent():
    """About a fifth of requests continue an upstream trace."""
    if rng.random() >= 0.2:
        return None
    rate = rng.choice([1.0, 0.5, 0.25, 0.1])
    return rate


def root():
    kind = rng.random()
    if kind < 0.05:
        name, op, attributes = rng.choice(AI_ROOTS)
        return {"name": name, "op": op, "attributes": dict(attributes)}
    if kind < 0.09:
        name, op = rng.choice(JOBS)
        return {"name": name, "op": op, "attributes": {}}
    weights = [w for w, _, _ in ROUTES]
    _, method, template = rng.choices(ROUTES, weights=weights)[0]
    path = template.format(id=rng.randrange(1, 10_000), q=rng.choice(["shoes", "hats", "gpu"]))
    return {"name": f"{method} {path.split('?')[0]}", "op": "http.server", "method": method, "path": path, "attributes": {}}


def main():
    for _ in range(4000):
        r = root()
        sample_rand = rng.randrange(0, 1_000_000) / 1_000_000
        upstream = parent()
        r["traceId"] = trace_id()
        r["sampleRand"] = float("%.6f" % sample_rand)
        # An upstream decision is the comparison its own rate made with the same sample_rand.
        r["parent"] = None if upstream is None else {"sampled": sample_rand < upstream, "sampleRate": upstream}
        print(json.dumps(r, sort_keys=True))


if __name__ == "__main__":
    main()
