#!/usr/bin/env python3
"""A stand-in for llama-server that shows exactly what the proxy sent and returns exact bytes.

Takes llama-server's way of being told where to listen (`--host X.sock`, or `--host H --port P`;
every other argument is ignored). GET /health answers 200. A POST whose body contains
`"stream": true` gets STREAM_EVENTS (server-sent events with invalid UTF-8 and a character split
across writes); any other POST gets its own request body back, byte for byte, as the answer.
A request with `X-Echo-Headers: 1` also gets `X-Request-Header-Names` (the names it arrived
with, lowercased) and the `Access-Control-Allow-Origin` llama-server sends (its Origin echoed).
Every answer carries `X-Upstream-Alias` (the `--alias` it was started with), `X-Request-Method`
and `X-Request-Target` (the request line as it arrived); PUT, PATCH and DELETE echo like POST,
HEAD answers like GET without a body.
"""
import socketserver
import sys
import time
from http.server import BaseHTTPRequestHandler

# Raw bytes the proxy must pass through untouched: a lone continuation byte, an invalid start
# byte, and "€" (e2 82 ac) cut in two across separate chunks.
STREAM_EVENTS = [
    b'data: {"choices":[{"delta":{"content":"\x80 \xff"}}]}\n\n',
    b'data: {"choices":[{"delta":{"content":"\xe2\x82',
    b'\xac"}}]}\n\n',
    b"data: [DONE]\n\n",
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # the default one fails on UNIX socket peers
        sys.stderr.write("echo_upstream: " + (format % args) + "\n")

    def do_GET(self):
        self._answer(200, b'{"status":"ok"}', "application/json")

    def do_HEAD(self):
        self._answer(200, b'{"status":"ok"}', "application/json", send_body=False)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if b'"stream": true' in body or b'"stream":true' in body:
            self._stream()
        else:
            self._answer(200, body, self.headers.get("Content-Type", "application/json"))

    do_PUT = do_PATCH = do_DELETE = do_POST

    def _answer(self, status, body, content_type, send_body=True):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self._echo_headers()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self._echo_headers()
        self.end_headers()
        for piece in STREAM_EVENTS:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
            time.sleep(0.02)  # separate writes, so the pieces really arrive apart
        self.wfile.write(b"0\r\n\r\n")


    def _echo_headers(self):
        self.send_header("X-Upstream-Alias", option("--alias", ""))
        self.send_header("X-Request-Method", self.command)
        self.send_header("X-Request-Target", self.path)
        if self.headers.get("X-Echo-Headers") == "1":
            self.send_header("X-Request-Header-Names", ",".join(name.lower() for name in self.headers.keys()))
            self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin", ""))


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class TCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def option(name, default=None):
    args = sys.argv[1:]
    return args[args.index(name) + 1] if name in args[:-1] else default


def main():
    host = option("--host", "127.0.0.1")
    if host.endswith(".sock"):
        server = UnixServer(host, Handler)
    else:
        server = TCPServer((host, int(option("--port", "8080"))), Handler)
    sys.stderr.write(f"echo_upstream: listening on {host}\n")
    sys.stderr.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
