"""GET /logs and the live /logs/stream... against real llama-servers: a child's own startup lines
under its model and under all, a live stream that sees a request's line and a load's lines as they
happen, history or none, the admin key, unknown models, and a stalled reader that is dropped while
the proxy keeps serving."""
import json
import queue
import re
import socket
import threading

import pytest

from http_client import RawConnection, chat_body, encode_request, request, sse_events
from processes import wait_until

ADMIN_KEY = "sk-admin-logs-31f0"
CLIENT_KEY = "sk-client-logs-8b2d"
# What llama-server itself writes once its model is in memory and its socket is open.
STARTUP = re.compile(r"model loaded|listening")
LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[([^\]]+)\] (.*)$")


def parse(text: str) -> list[tuple[str, str]]:
    """(source, text) per line; every line must have the shape `<time> [<source>] <text>`."""
    lines = []
    for line in text.splitlines():
        match = LINE.match(line)
        assert match, f"not a log line: {line!r}"
        lines.append((match.group(1), match.group(2)))
    return lines


def logs(proxy, target="/logs", headers=None) -> list[tuple[str, str]]:
    response = request(proxy.port, "GET", target, headers=headers)
    assert response.status == 200, response.body
    assert response.header("Content-Type") == "text/plain; charset=utf-8"
    return parse(response.body.decode())


def chat(proxy, model="tiny-a", headers=None):
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body(model, max_tokens=2), headers=headers)
    assert response.status == 200, response.body
    return response


class LiveLog:
    """A /logs/stream... response read on a thread of its own, line by line."""

    def __init__(self, proxy, target, headers=None):
        self.connection = RawConnection.tcp(proxy.port, timeout=120)
        self.connection.send(encode_request("GET", target, headers=headers))
        self.response = self.connection.read_head()
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[tuple[str, str]] = []
        self.ended = threading.Event()
        if self.response.status == 200:
            threading.Thread(target=self._read, daemon=True).start()
        else:
            self.ended.set()

    def _read(self):
        pending = b""
        try:
            for piece in self.connection.body_pieces(self.response):
                pending += piece
                *complete, pending = pending.split(b"\n")
                for line in complete:
                    self.lines.put(line.decode())
        except (OSError, ValueError):
            pass
        finally:
            self.ended.set()

    def wait_for(self, predicate, timeout=120.0, message="a line"):
        """Returns the first new line (source, text) for which predicate holds."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no {message} within {timeout} s; saw {self.seen[-20:]}")
            (parsed,) = parse(line)
            self.seen.append(parsed)
            if predicate(*parsed):
                return parsed

    def close(self):
        # The reader thread holds the buffered reader: wake it by shutting the socket first.
        try:
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.ended.wait(timeout=30)
        self.connection.close()


def test_a_childs_own_startup_lines_are_kept_under_its_model_and_under_all(start_proxy):
    proxy = start_proxy()
    chat(proxy, "tiny-a")
    mine = wait_until(lambda: [line for line in logs(proxy, "/logs?model=tiny-a") if STARTUP.search(line[1])],
                      timeout=60, message="tiny-a's startup lines")
    assert all(source == "tiny-a" for source, _ in logs(proxy, "/logs?model=tiny-a"))
    first = logs(proxy, "/logs?model=tiny-a")[0]
    assert re.fullmatch(r"--- process started pid=\d+", first[1]), first
    everything = logs(proxy)
    assert set(mine) <= set(everything)
    sources = {source for source, _ in everything}
    assert {"proxy", "tiny-a"} <= sources and "tiny-b" not in sources
    assert any(text.startswith("listening on 127.0.0.1:") for source, text in everything if source == "proxy")
    assert any(text.startswith("request POST /v1/chat/completions model=tiny-a status=200")
               for source, text in logs(proxy, "/logs?source=proxy"))
    upstream = logs(proxy, "/logs?source=upstream")
    assert upstream and all(source == "tiny-a" for source, _ in upstream)
    assert len(logs(proxy, "/logs?lines=3")) == 3
    assert logs(proxy, "/logs?model=tiny-b") == []  # known, never started


def test_a_restart_is_marked_and_the_earlier_lines_are_kept(start_proxy):
    proxy = start_proxy()
    chat(proxy, "tiny-a")
    chat(proxy, "tiny-b")  # max_loaded 1: tiny-a is unloaded for it
    chat(proxy, "tiny-a")
    def markers():
        found = [text for _, text in logs(proxy, "/logs?model=tiny-a") if text.startswith("--- process")]
        return found if len(found) >= 3 else None

    texts = wait_until(markers, timeout=60, message="two starts and an end of tiny-a")
    assert re.fullmatch(r"--- process started pid=\d+", texts[0])
    assert texts[1].startswith("--- process ended: ")
    assert re.fullmatch(r"--- process restarted pid=\d+ \(start 2\)", texts[2])
    assert len([1 for _, text in logs(proxy, "/logs?model=tiny-a") if STARTUP.search(text)]) >= 2


def test_a_live_stream_sees_a_load_and_a_request_as_they_happen(start_proxy):
    proxy = start_proxy()
    proxy.wait_for_log("listening on")  # /health may answer a moment before that line is logged
    everything = LiveLog(proxy, "/logs/stream?no-history")
    model_only = LiveLog(proxy, "/logs/stream/tiny-a")
    try:
        assert everything.response.status == 200 and model_only.response.status == 200
        assert everything.response.header("Transfer-Encoding") == "chunked"
        answered = threading.Thread(target=chat, args=(proxy, "tiny-a"))
        answered.start()
        model_only.wait_for(lambda source, text: text.startswith("--- process started"), message="the start marker")
        model_only.wait_for(lambda source, text: STARTUP.search(text), message="llama-server's startup line")
        everything.wait_for(lambda source, text: source == "proxy" and text.startswith("load model=tiny-a"),
                            message="the proxy's load line")
        everything.wait_for(lambda source, text: source == "proxy"
                            and text.startswith("request POST /v1/chat/completions model=tiny-a status=200"),
                            message="the request's line")
        answered.join(timeout=120)
        assert all(source == "tiny-a" for source, _ in model_only.seen)
        assert {"proxy", "tiny-a"} <= {source for source, _ in everything.seen}
        # ?no-history: the listening line, logged before the stream opened, never came.
        assert not any(text.startswith("listening on") for _, text in everything.seen)
    finally:
        everything.close()
        model_only.close()


def test_a_stream_starts_with_the_kept_lines_unless_told_not_to(start_proxy):
    proxy = start_proxy()
    proxy.wait_for_log("listening on")  # /health may answer a moment before that line is logged
    with_history = LiveLog(proxy, "/logs/stream/proxy")
    without = LiveLog(proxy, "/logs/stream/proxy?no-history")
    try:
        with_history.wait_for(lambda source, text: text.startswith("listening on"), message="the kept listening line")
        request(proxy.port, "POST", "/v1/chat/completions", chat_body("no-such-model"))
        seen = without.wait_for(lambda source, text: "model=no-such-model" in text, message="the new request line")
        assert seen[0] == "proxy"
        assert not any(text.startswith("listening on") for _, text in without.seen)
        with_history.wait_for(lambda source, text: "model=no-such-model" in text, message="the new line after the history")
    finally:
        with_history.close()
        without.close()


def test_an_event_source_gets_one_event_per_line(start_proxy):
    proxy = start_proxy()
    proxy.wait_for_log("listening on")
    with RawConnection.tcp(proxy.port, timeout=120) as connection:
        connection.send(encode_request("GET", "/logs/stream/proxy", headers=[("Accept", "text/event-stream")]))
        response = connection.read_head()
        assert response.status == 200 and response.header("Content-Type") == "text/event-stream"
        events = sse_events(connection, response)
        first = next(events).decode()
        assert parse(first)[0][1].startswith("listening on"), first  # the kept lines first
        request(proxy.port, "POST", "/v1/chat/completions", chat_body("sse-probe"))
        while "model=sse-probe" not in (event := next(events).decode()):
            pass
        assert parse(event)[0][0] == "proxy"


def test_log_lines_cannot_be_forged_by_a_client(start_proxy):
    proxy = start_proxy()
    forged = "x\n2026-01-01T00:00:00.000Z [tiny-a] main: model loaded\x1b[2J"
    request(proxy.port, "POST", "/v1/chat/completions", chat_body(forged))
    lines = wait_until(lambda: [text for _, text in logs(proxy, "/logs?source=proxy") if "model=x\\n2026" in text],
                       message="the escaped request line")
    assert "\\x1B[2J" in lines[0]
    assert not any(source == "tiny-a" for source, _ in logs(proxy))  # parse() also checked every line's shape


def test_the_admin_key_is_required_and_never_logged(start_proxy):
    proxy = start_proxy(api_keys=[CLIENT_KEY], admin_api_keys=[ADMIN_KEY])
    admin = [("Authorization", f"Bearer {ADMIN_KEY}")]
    for target in ("/logs", "/logs/stream", "/logs/stream/proxy", "/logs?model=tiny-a", "/logs/stream/tiny-a"):
        for headers in (None, [("Authorization", f"Bearer {CLIENT_KEY}")]):
            response = request(proxy.port, "GET", target, headers=headers)
            assert response.status == 401, (target, headers)
            assert response.json()["error"]["code"] == "invalid_api_key"
    chat(proxy, "tiny-a", headers=[("Authorization", f"Bearer {CLIENT_KEY}")])
    stream = LiveLog(proxy, "/logs/stream?lines=0", headers=[("x-api-key", ADMIN_KEY)])
    try:
        assert stream.response.status == 200
        chat(proxy, "tiny-a", headers=[("Authorization", f"Bearer {CLIENT_KEY}")])
        stream.wait_for(lambda source, text: text.startswith("request POST /v1/chat/completions"), message="a request line")
    finally:
        stream.close()
    text = request(proxy.port, "GET", "/logs", headers=admin).body.decode()
    assert "request POST /v1/chat/completions model=tiny-a status=200" in text
    assert CLIENT_KEY not in text and ADMIN_KEY not in text


@pytest.mark.parametrize("target", ["/logs?model=nope", "/logs/stream/nope", "/logs/stream?model=nope"])
def test_an_unknown_model_is_an_openai_404(start_proxy, target):
    proxy = start_proxy()
    response = request(proxy.port, "GET", target)
    assert response.status == 404
    assert response.json()["error"]["code"] == "model_not_found"
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_bad_log_requests_are_openai_400s_and_other_paths_404(start_proxy):
    proxy = start_proxy()
    for target in ("/logs?source=everything", "/logs?lines=-2", "/logs/stream/a/b"):
        response = request(proxy.port, "GET", target)
        assert response.status == 400, target
        assert response.json()["error"]["code"] == "invalid_request"
    response = request(proxy.port, "GET", "/logs/elsewhere")
    assert response.status == 404 and response.json()["error"]["code"] == "not_found"


def test_a_stalled_stream_reader_is_dropped_and_the_proxy_keeps_serving(start_proxy):
    proxy = start_proxy(limits={"log_stream_buffer_bytes": 4096})
    stalled = socket.create_connection(("127.0.0.1", proxy.port), timeout=120)
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stalled.sendall(encode_request("GET", "/logs/stream?no-history"))
    try:
        # Each refused request logs a line of about 330 bytes; a few thousand of them are far more
        # than the socket buffers, the connection's high-water mark and the stream's 4 KiB together.
        padding = "p" * 300
        with RawConnection.tcp(proxy.port, timeout=120) as connection:
            for index in range(3000):
                response = connection.request("POST", "/v1/chat/completions",
                                              json.dumps(chat_body(f"stall-{index}-{padding}")).encode())
                assert response.status == 404
                if index % 250 == 0 and "log stream dropped" in proxy.log():
                    break
        proxy.wait_for_log("log stream dropped: its client fell 4096 bytes behind", timeout=60)
        chat(proxy, "tiny-a")  # still serving, a model included
        assert request(proxy.port, "GET", "/health").status == 200
        # The stalled client finds its stream cut short: no last chunk, then the close.
        stalled.settimeout(60)
        received = b""
        while chunk := stalled.recv(65536):
            received += chunk
        assert received.startswith(b"HTTP/1.1 200 OK")
        assert not received.endswith(b"\r\n0\r\n\r\n")
    finally:
        stalled.close()


def test_streams_end_when_the_proxy_stops(start_proxy):
    proxy = start_proxy()
    stream = LiveLog(proxy, "/logs/stream")
    stream.wait_for(lambda source, text: text.startswith("listening on"), message="the kept listening line")
    proxy.stop()  # must not wait out the shutdown grace for the open stream
    assert stream.ended.wait(timeout=60)
    stream.close()
