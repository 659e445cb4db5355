#!/usr/bin/env python3
"""A fake llama-server for tests (python3 standard library only).

It takes llama-server's command line, listens where llama-server would, and answers a small
OpenAI-compatible API instantly and predictably, with switches that inject the faults a proxy
must survive.

llama-server arguments it understands (every other argument is ignored, values included):
  -m, --model PATH         the model file; only its name is used, it need not exist
  -a, --alias NAME         the model id in answers and /v1/models (default: the file's stem)
  --host HOST              where to listen; a value ending in ".sock" is a UNIX socket path
  --port PORT              TCP port when --host is not a socket (default 8080)

Fault and timing switches:
  --fake-load-ms N         /health answers 503 {"error": {...}} for N ms after start, then 200
  --fake-never-ready       /health answers 503 for ever
  --fake-fail-start        print a model-loading error and exit with status 1 before listening
  --fake-exit-after-ms N   exit abruptly (status 3) N ms after start, whatever it is doing
  --fake-token-delay-ms N  sleep N ms before each streamed chunk (and once per token otherwise)
  --fake-tokens N          tokens per answer (default 3)
  --fake-crash-mid-stream  exit abruptly (status 3) right after the first streamed chunk
  --fake-ignore-sigterm    ignore SIGTERM, so only SIGKILL stops it
  --fake-quiet             print nothing but errors (so readiness can only be found by probing)
  --fake-ready-file PATH   write time.monotonic_ns() to PATH at the moment /health turns 200
                           (CLOCK_MONOTONIC, the clock the proxy uses, so tests can measure)

Endpoints (HTTP/1.1, keep-alive; request bodies by Content-Length or chunked):
  GET  /health               200 {"status":"ok"} when ready, else 503 {"error":{...}}
  GET  /v1/models            {"object":"list","data":[{"id":ALIAS,...}]}
  POST /v1/chat/completions  a chat.completion; with "stream": true, SSE chat.completion.chunk
                             events in chunked encoding, then "data: [DONE]"
  POST /v1/completions       a text_completion, streamed the same way on request
  POST /v1/embeddings        one 4-number embedding per input
  anything else              404 {"error":{...}}
Every POST answer (the first chunk when streaming) carries the request as the server saw it:
  "echo": the body, decoded as UTF-8;  "echo_headers": [[name, value], ...] in arrival order;
  "echo_path": the request target.
Before it is ready, POST endpoints answer 503 like llama-server does while loading.
A SIGTERM (unless ignored) prints a line and exits with status 0.
"""

import json
import os
import signal
import socket
import socketserver
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler


class Options:
    def __init__(self, argv):
        self.model = "model.gguf"
        self.alias = None
        self.host = "127.0.0.1"
        self.port = 8080
        self.load_ms = 0
        self.never_ready = False
        self.fail_start = False
        self.exit_after_ms = None
        self.token_delay_ms = 0
        self.tokens = 3
        self.crash_mid_stream = False
        self.ignore_sigterm = False
        self.quiet = False
        self.ready_file = None
        valued = {
            "-m": "model", "--model": "model", "-a": "alias", "--alias": "alias", "--host": "host",
            "--port": "port", "--fake-load-ms": "load_ms", "--fake-exit-after-ms": "exit_after_ms",
            "--fake-token-delay-ms": "token_delay_ms", "--fake-tokens": "tokens",
            "--fake-ready-file": "ready_file",
        }
        flags = {
            "--fake-never-ready": "never_ready", "--fake-fail-start": "fail_start",
            "--fake-crash-mid-stream": "crash_mid_stream", "--fake-ignore-sigterm": "ignore_sigterm",
            "--fake-quiet": "quiet",
        }
        numeric = {"port", "load_ms", "exit_after_ms", "token_delay_ms", "tokens"}
        index = 0
        while index < len(argv):
            argument = argv[index]
            if argument in valued and index + 1 < len(argv):
                name = valued[argument]
                value = argv[index + 1]
                setattr(self, name, int(value) if name in numeric else value)
                index += 2
            else:
                if argument in flags:
                    setattr(self, flags[argument], True)
                index += 1
        if self.alias is None:
            self.alias = os.path.splitext(os.path.basename(self.model))[0]


OPTIONS = Options(sys.argv[1:])
READY = threading.Event()


def say(line, always=False):
    if always or not OPTIONS.quiet:
        print(line, flush=True)


def crash(reason):
    print(f"fake: crashing ({reason})", flush=True)
    os._exit(3)


def error_body(code, message, kind):
    return {"error": {"code": code, "message": message, "type": kind}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-llama-server"

    def log_message(self, format, *args):
        say("srv  log_server_r: " + (format % args))

    def address_string(self):
        return "unix" if isinstance(self.client_address, str) else self.client_address[0]

    def do_GET(self):
        if self.path == "/health":
            if READY.is_set():
                self.send_json(200, {"status": "ok"})
            else:
                self.send_json(503, error_body(503, "Loading model", "unavailable_error"))
        elif self.path in ("/v1/models", "/models"):
            model = {"id": OPTIONS.alias, "object": "model", "created": 0, "owned_by": "llamacpp"}
            self.send_json(200, {"object": "list", "data": [model]})
        else:
            self.send_json(404, error_body(404, "File Not Found", "not_found_error"))

    def do_POST(self):
        body = self.read_body()
        routes = {
            "/v1/chat/completions": self.chat, "/chat/completions": self.chat,
            "/v1/completions": self.completion, "/completions": self.completion,
            "/v1/embeddings": self.embeddings, "/embeddings": self.embeddings,
        }
        route = routes.get(self.path.split("?")[0])
        if route is None:
            return self.send_json(404, error_body(404, "File Not Found", "not_found_error"))
        if not READY.is_set():
            return self.send_json(503, error_body(503, "Loading model", "unavailable_error"))
        try:
            request = json.loads(body or b"{}")
        except ValueError as error:
            return self.send_json(400, error_body(400, f"invalid JSON: {error}", "invalid_request_error"))
        echo = {
            "echo": body.decode("utf-8", "replace"),
            "echo_headers": [[name, value] for name, value in self.headers.items()],
            "echo_path": self.path,
        }
        route(request if isinstance(request, dict) else {}, echo)

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def tokens(self):
        return [f"tok{index} " for index in range(OPTIONS.tokens)]

    def chat(self, request, echo):
        if request.get("stream"):
            def chunk(token, finish):
                delta = {"content": token} if token is not None else {}
                return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                        "model": OPTIONS.alias,
                        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            return self.stream(chunk, echo)
        self.pause_per_token()
        message = {"role": "assistant", "content": "".join(self.tokens())}
        answer = {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": OPTIONS.alias,
                  "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                  "usage": self.usage()}
        self.send_json(200, {**answer, **echo})

    def completion(self, request, echo):
        if request.get("stream"):
            def chunk(token, finish):
                return {"id": "cmpl-fake", "object": "text_completion", "created": 0, "model": OPTIONS.alias,
                        "choices": [{"index": 0, "text": token or "", "finish_reason": finish}]}
            return self.stream(chunk, echo)
        self.pause_per_token()
        answer = {"id": "cmpl-fake", "object": "text_completion", "created": 0, "model": OPTIONS.alias,
                  "choices": [{"index": 0, "text": "".join(self.tokens()), "finish_reason": "stop"}],
                  "usage": self.usage()}
        self.send_json(200, {**answer, **echo})

    def embeddings(self, request, echo):
        inputs = request.get("input", "")
        inputs = inputs if isinstance(inputs, list) else [inputs]
        data = [{"object": "embedding", "index": index,
                 "embedding": [float(len(str(item))), float(index), 0.5, -0.5]}
                for index, item in enumerate(inputs)]
        answer = {"object": "list", "model": OPTIONS.alias, "data": data,
                  "usage": {"prompt_tokens": len(inputs), "total_tokens": len(inputs)}}
        self.send_json(200, {**answer, **echo})

    def usage(self):
        return {"prompt_tokens": 1, "completion_tokens": OPTIONS.tokens, "total_tokens": OPTIONS.tokens + 1}

    def pause_per_token(self):
        time.sleep(OPTIONS.token_delay_ms * OPTIONS.tokens / 1000)

    def stream(self, chunk, echo):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        events = [{**chunk(token, None), **(echo if index == 0 else {})}
                  for index, token in enumerate(self.tokens())]
        events.append(chunk(None, "stop"))
        for index, event in enumerate(events):
            time.sleep(OPTIONS.token_delay_ms / 1000)
            self.write_chunk(b"data: " + json.dumps(event).encode() + b"\n\n")
            if index == 0 and OPTIONS.crash_mid_stream:
                crash("mid-stream")
        self.write_chunk(b"data: [DONE]\n\n")
        self.write_chunk(b"")

    def write_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def send_json(self, status, value):
        data = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class QuietAboutHangups:
    """A client that hangs up early (a health probe reads only the status line) is normal."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class UnixServer(QuietAboutHangups, socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class TCPServer(QuietAboutHangups, socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def become_ready():
    if OPTIONS.ready_file:
        with open(OPTIONS.ready_file, "w") as file:
            file.write(str(time.monotonic_ns()))
    READY.set()


def load_then_become_ready(where):
    say("main: loading model")
    if OPTIONS.load_ms:
        time.sleep(OPTIONS.load_ms / 1000)
    say("main: model loaded")
    become_ready()
    say(f"main: server is listening on {where} - starting the main loop")


def on_sigterm(number, frame):
    print("srv    operator(): received SIGTERM, shutting down", flush=True)
    os._exit(0)


def main():
    say(f"build: fake-llama-server, model {OPTIONS.model}, pid {os.getpid()}")
    if OPTIONS.fail_start:
        say(f"llama_model_load: error loading model: failed to open {OPTIONS.model}", always=True)
        say("main: exiting due to model loading error", always=True)
        sys.exit(1)
    signal.signal(signal.SIGTERM, signal.SIG_IGN if OPTIONS.ignore_sigterm else on_sigterm)
    # A parent may hand down a blocked SIGTERM (Foundation's Process does); unblock it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
    if OPTIONS.exit_after_ms is not None:
        timer = threading.Timer(OPTIONS.exit_after_ms / 1000, crash, args=("--fake-exit-after-ms",))
        timer.daemon = True
        timer.start()
    if OPTIONS.host.endswith(".sock"):
        try:
            os.unlink(OPTIONS.host)
        except FileNotFoundError:
            pass
        server = UnixServer(OPTIONS.host, Handler)
        where = f"unix://{OPTIONS.host}"
    else:
        server = TCPServer((OPTIONS.host, OPTIONS.port), Handler)
        where = f"http://{OPTIONS.host}:{server.server_address[1]}"
    say(f"main: HTTP server is listening, {where}")
    if not OPTIONS.never_ready:
        threading.Thread(target=load_then_become_ready, args=(where,), daemon=True).start()
    server.serve_forever(poll_interval=3600)


if __name__ == "__main__":
    main()
