"""A fake LLM server on 127.0.0.1 for the AI-integration tests (standard library only).

It answers the four APIs the real client libraries call, with fixed, well-formed replies:

- OpenAI chat completions ``POST /v1/chat/completions`` (``"stream": true``: server-sent events)
- OpenAI responses ``POST /v1/responses`` (``"stream": true``: server-sent events)
- Anthropic messages ``POST /v1/messages``
- Google generateContent ``POST /v1beta/models/<model>:generateContent``

Run it as ``python3 tests/fakes/llm_server.py``: it binds an ephemeral port on 127.0.0.1,
prints ``listening http://127.0.0.1:<port>`` on one line, then serves until killed (or until
standard input closes, so a test runner that dies takes it along). Every request is counted;
``GET /requests`` answers the count per path as JSON.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLY = "The answer is 42."
USAGE_IN, USAGE_OUT = 12, 7
COUNTS: Counter[str] = Counter()
LOCK = threading.Lock()


def chat_completion(model: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": REPLY, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": USAGE_IN, "completion_tokens": USAGE_OUT, "total_tokens": USAGE_IN + USAGE_OUT},
    }


def chat_chunks(model: str) -> list[dict]:
    base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()), "model": model}
    return [
        {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": REPLY}, "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
        {
            **base,
            "choices": [],
            "usage": {"prompt_tokens": USAGE_IN, "completion_tokens": USAGE_OUT, "total_tokens": USAGE_IN + USAGE_OUT},
        },
    ]


def response(model: str) -> dict:
    return {
        "id": "resp_fake",
        "object": "response",
        "created_at": int(time.time()),
        "status": "completed",
        "model": model,
        "output": [
            {
                "type": "message",
                "id": "msg_fake",
                "status": "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": REPLY, "annotations": []}],
            }
        ],
        "output_text": REPLY,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "usage": {
            "input_tokens": USAGE_IN,
            "output_tokens": USAGE_OUT,
            "total_tokens": USAGE_IN + USAGE_OUT,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens_details": {"reasoning_tokens": 0},
        },
    }


def response_events(model: str) -> list[dict]:
    done = response(model)
    started = {**done, "status": "in_progress", "output": []}
    return [
        {"type": "response.created", "sequence_number": 0, "response": started},
        {"type": "response.output_text.delta", "sequence_number": 1, "item_id": "msg_fake", "output_index": 0,
         "content_index": 0, "delta": REPLY},
        {"type": "response.completed", "sequence_number": 2, "response": done},
    ]


def anthropic_message(model: str) -> dict:
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": REPLY}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": USAGE_IN, "output_tokens": USAGE_OUT},
    }


def gemini_content(model: str) -> dict:
    return {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": REPLY}]}, "finishReason": "STOP", "index": 0}
        ],
        "usageMetadata": {
            "promptTokenCount": USAGE_IN,
            "candidatesTokenCount": USAGE_OUT,
            "totalTokenCount": USAGE_IN + USAGE_OUT,
        },
        "modelVersion": model,
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def send_json(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_events(self, events: list[dict], done_marker: bool) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("connection", "close")
        self.end_headers()
        for event in events:
            name = event.get("type")
            prefix = f"event: {name}\n" if name else ""
            self.wfile.write(f"{prefix}data: {json.dumps(event)}\n\n".encode())
        if done_marker:
            self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True

    def do_GET(self) -> None:
        if self.path == "/requests":
            with LOCK:
                self.send_json(200, dict(COUNTS))
        else:
            self.send_json(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        path = self.path.split("?", 1)[0]
        with LOCK:
            COUNTS[path] += 1
        model = body.get("model") or "fake-model"
        stream = bool(body.get("stream"))
        if path.endswith("/chat/completions"):
            if stream:
                self.send_events(chat_chunks(model), done_marker=True)
            else:
                self.send_json(200, chat_completion(model))
        elif path.endswith("/responses"):
            if stream:
                self.send_events(response_events(model), done_marker=False)
            else:
                self.send_json(200, response(model))
        elif path.endswith("/messages"):
            self.send_json(200, anthropic_message(model))
        elif ":generateContent" in path:
            self.send_json(200, gemini_content(path.rsplit("/", 1)[-1].split(":", 1)[0]))
        else:
            self.send_json(404, {"error": {"message": f"no route {path}"}})


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"listening http://127.0.0.1:{server.server_address[1]}", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Serve until standard input closes (the parent test process ended) or we are killed.
    try:
        sys.stdin.read()
    except (KeyboardInterrupt, OSError):
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
