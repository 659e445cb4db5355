#!/usr/bin/env python3
"""A small OpenAI-compatible server (standard library only) for command upstreams in the e2e
tests: not llama-server, so it is started through a model's `cmd`.

  --port PORT            listen on 127.0.0.1:PORT (or --socket PATH: a UNIX socket)
  --model-id ID          the id it reports in /v1/models and answers
  --signal-file PATH     on SIGTERM or SIGINT, write the signal's name to PATH, then exit 0
  --ignore-sigterm       SIGTERM is ignored (only another signal or SIGKILL stops it)
  --no-health            GET /health answers 404 (a server without a readiness endpoint)
  --api-key KEY          /v1/... answers 401 unless the request has `Authorization: Bearer KEY`
  --requests-file PATH   appends one JSON line per request: method, path, Host, Authorization, x-api-key
  --hold-file PATH       a chat completion waits until PATH exists before it answers (a busy server)
  --answers JSON         the chat completions' contents, in order (a JSON array; the last one repeats),
                         instead of naming the server
  --requests-body-file PATH  appends each chat completion's request body, one JSON line each
  --calls-tool EXPR      a streamed request with `tools` and no tool result yet is answered with a
                         call of its first tool, {"expression": EXPR}, its arguments in two pieces
                         (finish_reason "tool_calls"); one with a tool result: "The answer is RESULT."

GET /health: 200 {"status":"ok"}. GET /v1/models: the one model. POST /v1/chat/completions: a
chat.completion (SSE chunks and "data: [DONE]" with "stream": true) whose content names the
server, the model it was asked for and $STUB_GREETING from its environment.
"""
import argparse
import json
import os
import signal
import socket
import socketserver
import sys
import time
from http.server import BaseHTTPRequestHandler

OPTIONS = None
ANSWERED = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        sys.stderr.write("openai_stub: " + (format % args) + "\n")

    def address_string(self):  # UNIX socket peers have no host
        return "stub-client"

    def send_json(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def note_request(self):
        if OPTIONS.requests_file:
            line = json.dumps({"method": self.command, "path": self.path, "host": self.headers.get("Host"),
                               "authorization": self.headers.get("Authorization"), "x-api-key": self.headers.get("x-api-key")})
            with open(OPTIONS.requests_file, "a") as file:
                file.write(line + "\n")

    def refused_key(self):
        if OPTIONS.api_key and self.path.startswith("/v1/") and self.headers.get("Authorization") != f"Bearer {OPTIONS.api_key}":
            self.send_json(401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                                           "code": "invalid_api_key"}})
            return True
        return False

    def do_GET(self):
        self.note_request()
        if self.refused_key():
            return
        if self.path == "/health" and not OPTIONS.no_health:
            self.send_json(200, {"status": "ok"})
        elif self.path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [{"id": OPTIONS.model_id, "object": "model", "owned_by": "stub"}]})
        else:
            self.send_json(404, {"error": {"message": f"no {self.path}", "type": "not_found_error"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        request = json.loads(self.rfile.read(length) or b"{}")
        self.note_request()
        if self.refused_key():
            return
        while OPTIONS.hold_file and not os.path.exists(OPTIONS.hold_file):
            time.sleep(0.01)
        if self.path != "/v1/chat/completions":
            return self.send_json(404, {"error": {"message": f"no {self.path}", "type": "not_found_error"}})
        content = f"stub {OPTIONS.model_id} asked for {request.get('model')} says {os.environ.get('STUB_GREETING', '')}"
        if OPTIONS.requests_body_file:
            with open(OPTIONS.requests_body_file, "a") as file:
                file.write(json.dumps(request) + "\n")
        if OPTIONS.answers:
            global ANSWERED
            content = OPTIONS.answers[min(ANSWERED, len(OPTIONS.answers) - 1)]
            ANSWERED += 1
        if OPTIONS.calls_tool and request.get("tools") and request.get("stream"):
            results = [m["content"] for m in request.get("messages", []) if m.get("role") == "tool"]
            if not results:
                return self.stream_tool_call(request["tools"][0]["function"]["name"])
            content = f"The answer is {results[-1]}."
        if not request.get("stream"):
            return self.send_json(200, {
                "id": "chatcmpl-stub", "object": "chat.completion", "model": OPTIONS.model_id,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for word in content.split(" "):
            chunk = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "model": OPTIONS.model_id,
                     "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}]}
            self.write_chunk(f"data: {json.dumps(chunk)}\n\n".encode())
        self.write_chunk(b"data: [DONE]\n\n")
        self.write_chunk(b"")

    def stream_tool_call(self, name):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        arguments = json.dumps({"expression": OPTIONS.calls_tool})
        pieces = [{"index": 0, "id": "call_1", "type": "function", "function": {"name": name, "arguments": arguments[:7]}},
                  {"index": 0, "function": {"arguments": arguments[7:]}}]
        for piece in pieces:
            chunk = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "model": OPTIONS.model_id,
                     "choices": [{"index": 0, "delta": {"tool_calls": [piece]}, "finish_reason": None}]}
            self.write_chunk(f"data: {json.dumps(chunk)}\n\n".encode())
        done = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "model": OPTIONS.model_id,
                "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}
        self.write_chunk(f"data: {json.dumps(done)}\n\n".encode())
        self.write_chunk(b"data: [DONE]\n\n")
        self.write_chunk(b"")

    def write_chunk(self, data: bytes):
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


class TCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def on_signal(number, frame):
    if OPTIONS.signal_file:
        with open(OPTIONS.signal_file, "w") as file:
            file.write(signal.Signals(number).name)
    print(f"openai_stub: {signal.Signals(number).name}, exiting", flush=True)
    os._exit(0)


def main():
    global OPTIONS
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int)
    parser.add_argument("--socket")
    parser.add_argument("--model-id", default="stub")
    parser.add_argument("--signal-file")
    parser.add_argument("--ignore-sigterm", action="store_true")
    parser.add_argument("--no-health", action="store_true")
    parser.add_argument("--api-key")
    parser.add_argument("--requests-file")
    parser.add_argument("--hold-file")
    parser.add_argument("--answers", type=json.loads)
    parser.add_argument("--requests-body-file")
    parser.add_argument("--calls-tool")
    OPTIONS = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.SIG_IGN if OPTIONS.ignore_sigterm else on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    # On TCP, head and body are separate writes: without TCP_NODELAY each answer waits ~40 ms for
    # the proxy's delayed ACK (a UNIX socket has no such option).
    Handler.disable_nagle_algorithm = not OPTIONS.socket
    if OPTIONS.socket:
        server = UnixServer(OPTIONS.socket, Handler)
    else:
        server = TCPServer(("127.0.0.1", OPTIONS.port), Handler)
    print(f"openai_stub: pid {os.getpid()} listening", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
