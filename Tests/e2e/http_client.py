"""A small raw HTTP/1.1 client over TCP or UNIX sockets.

The tests need what ordinary clients hide: exact bytes, interim 100 responses, chunk-by-chunk
reading of a stream, malformed requests, and closing a connection mid-response.
"""
import json
import socket
from dataclasses import dataclass, field


@dataclass
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json(self):
        return json.loads(self.body)


class RawConnection:
    def __init__(self, sock: socket.socket, timeout: float = 30.0):
        sock.settimeout(timeout)
        self.sock = sock
        self.reader = sock.makefile("rb")

    @classmethod
    def tcp(cls, port: int, host: str = "127.0.0.1", timeout: float = 30.0) -> "RawConnection":
        return cls(socket.create_connection((host, port), timeout=timeout), timeout)

    @classmethod
    def to(cls, endpoint, timeout: float = 30.0) -> "RawConnection":
        """endpoint as in processes.LlamaServerProcess.endpoint: ("unix", path) or ("tcp", (host, port))."""
        kind, address = endpoint
        if kind == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(address)
            return cls(sock, timeout)
        return cls(socket.create_connection(address, timeout=timeout), timeout)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close(self) -> None:
        self.reader.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def read_head(self) -> Response:
        status_line = self.reader.readline()
        if not status_line:
            raise ConnectionError("connection closed before a response")
        version, status, *reason = status_line.decode("latin-1").rstrip("\r\n").split(" ", 2)
        assert version.startswith("HTTP/1."), f"bad status line {status_line!r}"
        response = Response(int(status), reason[0] if reason else "")
        while True:
            line = self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, value = line.decode("latin-1").split(":", 1)
            response.headers.append((name.strip(), value.strip()))
        return response

    def body_pieces(self, response: Response, method: str = "GET"):
        """Yields the body as it arrives: one piece per chunk, or per read for other framings."""
        if method == "HEAD" or response.status in (204, 304) or 100 <= response.status < 200:
            return
        if (response.header("Transfer-Encoding") or "").lower().endswith("chunked"):
            while True:
                size = int(self.reader.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.reader.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return
                data = self.reader.read(size)
                self.reader.readline()
                yield data
        elif response.header("Content-Length") is not None:
            remaining = int(response.header("Content-Length"))
            while remaining > 0:
                data = self.reader.read1(min(remaining, 65536))
                if not data:
                    raise ConnectionError("connection closed mid-body")
                remaining -= len(data)
                yield data
        else:
            while data := self.reader.read1(65536):
                yield data

    def read_response(self, method: str = "GET", skip_interim: bool = True) -> Response:
        while True:
            response = self.read_head()
            if not (skip_interim and 100 <= response.status < 200):
                break
        response.body = b"".join(self.body_pieces(response, method))
        return response

    def request(self, method: str, target: str, body: bytes | None = None, headers=None) -> Response:
        self.send(encode_request(method, target, body, headers))
        return self.read_response(method)


def encode_request(method: str, target: str, body: bytes | None = None, headers=None) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: localhost"]
    header_names = {name.lower() for name, _ in (headers or [])}
    if body is not None and "content-length" not in header_names and "transfer-encoding" not in header_names:
        lines.append(f"Content-Length: {len(body)}")
    if body is not None and "content-type" not in header_names:
        lines.append("Content-Type: application/json")
    lines += [f"{name}: {value}" for name, value in (headers or [])]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def request(port: int, method: str, target: str, body=None, headers=None, timeout: float = 30.0,
            host: str = "127.0.0.1") -> Response:
    """One request on a fresh connection; a dict or list body is sent as JSON."""
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    with RawConnection.tcp(port, host=host, timeout=timeout) as connection:
        return connection.request(method, target, body, headers)


def sse_events(connection: RawConnection, response: Response):
    """Yields each server-sent event's data payload (bytes) as soon as its event is complete."""
    pending = b""
    for piece in connection.body_pieces(response, "POST"):
        pending += piece
        while True:
            separator = min((i for i in (pending.find(b"\n\n"), pending.find(b"\r\n\r\n")) if i >= 0), default=-1)
            if separator < 0:
                break
            event, pending = pending[:separator], pending[separator:].lstrip(b"\r\n")
            data = [line[5:].lstrip() for line in event.splitlines() if line.startswith(b"data:")]
            if data:
                yield b"\n".join(data)
    assert not pending.strip(), f"stream ended inside an event: {pending[:200]!r}"


def chat_body(model: str, content: str = "hello", max_tokens: int = 8, **extra) -> dict:
    return {"model": model, "messages": [{"role": "user", "content": content}], "max_tokens": max_tokens, **extra}
