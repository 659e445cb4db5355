#!/usr/bin/env python3
"""A misbehaving stand-in for llama-server (python3 standard library only).

    fault_upstream.py MODE <llama-server arguments>

It takes llama-server's command line (`--host X.sock`, or `--host H --port P`; every other
argument is ignored) and fails in one of these ways:

  hang     prints a line and never listens (a load that never ends); exits after 300 s at most
  exit     prints EXIT_LINE and exits with status 1 before listening
  garbage  answers GET /health properly, and every POST with broken HTTP: the request's body
           names one of GARBAGE's keys (e.g. "garbage:not-http"); the first one named is sent
"""
import os
import socket
import socketserver
import sys
import time

EXIT_LINE = "fault_upstream: cannot load the model (simulated failure)"

# Upstream answers the proxy cannot parse: each must become a 502 `upstream_error`.
GARBAGE = {
    # Not HTTP at all, and the connection stays open: the parser must give up, not wait.
    "not-http": (b"\x00\xff\xfeSSH-2.0-nope\r\n\r\n", False),
    # A status line with a non-numeric status.
    "bad-status": (b"HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\n{}", False),
    # A Content-Length that is no number.
    "bad-length": (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ten\r\n\r\n{}", False),
    # Two different Content-Lengths (a response-splitting shape).
    "two-lengths": (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}", False),
    # A head cut off by the end of the connection.
    "cut-head": (b"HTTP/1.1 200 OK\r\nContent-Ty", True),
    # Nothing at all, then the end of the connection.
    "silent-close": (b"", True),
}


def option(name, default=None):
    args = sys.argv[2:]
    return args[args.index(name) + 1] if name in args[:-1] else default


class GarbageHandler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            head = self.read_head()
            if head is None:
                return
            request_line = head.split(b"\r\n", 1)[0]
            if request_line.startswith(b"GET /health"):
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: 15\r\n\r\n{\"status\":\"ok\"}")
                self.wfile.flush()
                continue
            body = self.read_body(head)
            kind = next((name for name in GARBAGE if b"garbage:" + name.encode() in body), "not-http")
            data, close = GARBAGE[kind]
            sys.stdout.write(f"fault_upstream: answering {kind}\n")
            sys.stdout.flush()
            self.wfile.write(data)
            self.wfile.flush()
            if close:
                return
            # Keep the connection open (bounded) so only the proxy's parser can end the exchange.
            self.connection.settimeout(60)
            try:
                while self.connection.recv(65536):
                    pass
            except OSError:
                pass
            return

    def read_head(self):
        lines = []
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return None
            if line in (b"\r\n", b"\n"):
                return b"".join(lines)
            lines.append(line)

    def read_body(self, head):
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                return self.rfile.read(int(value.strip()))
        return b""


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    mode = sys.argv[1]
    host = option("--host", "127.0.0.1")
    if mode == "hang":
        print("fault_upstream: loading for ever", flush=True)
        time.sleep(300)
        sys.exit(1)
    if mode == "exit":
        print(EXIT_LINE, flush=True)
        sys.exit(1)
    assert mode == "garbage", mode
    assert host.endswith(".sock"), "the proxy hands its children a UNIX socket path"
    if os.path.exists(host):
        os.unlink(host)
    server = UnixServer(host, GarbageHandler)
    print(f"fault_upstream: garbage on {host}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
