"""Hostile clients against the real binary. After each attack the proxy is alive, serves a real
chat completion on tiny-a, and holds no more file descriptors and the same children as before."""
import dataclasses
import json
import select
import socket
import threading
import time
from pathlib import Path

import pytest

from http_client import RawConnection, chat_body, encode_request, request
from llama_metrics import metrics
from processes import wait_until
from resources import Footprint, assert_settles_back, raise_own_fd_limit


def guarded(proxy):
    """Yields the proxy after a first chat and a footprint; checks both again after the attack."""
    assert_chat_served(proxy)
    proxy.before = Footprint.of(proxy.pid)
    yield proxy
    assert_chat_served(proxy)
    assert_settles_back(proxy.pid, proxy.before)


@pytest.fixture
def proxy(start_proxy):
    yield from guarded(start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2))


HEAD_SECONDS = 2  # request_header_seconds of the impatient proxy
IDLE_SECONDS = 3  # its keep_alive_seconds


@pytest.fixture
def impatient_proxy(start_proxy):
    """Short head, body and idle timeouts, and one slot per model (-np 1)."""
    yield from guarded(start_proxy(
        model_files=("tiny-a", "tiny-b"), max_loaded=2, default_args=["--threads", "1", "-np", "1", "--metrics"],
        timeouts={"load_seconds": 60, "queue_seconds": 60, "shutdown_grace_seconds": 30,
                  "request_header_seconds": HEAD_SECONDS, "keep_alive_seconds": IDLE_SECONDS}))


def assert_chat_served(proxy):
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a", max_tokens=2))
    assert response.status == 200, response.body[:300]
    assert response.json()["object"] == "chat.completion"


def expect_loaded(proxy, model):
    """The one legitimate change an attack may make: a model it asked for is loaded now."""
    child = proxy.child_for(f"{model}.gguf")
    assert child is not None, f"{model} is not loaded"
    proxy.before = dataclasses.replace(proxy.before, children=proxy.before.children | {child.pid})


def send_in_background(connection, data):
    """The proxy stops reading while its answers are unread, so send and read at once."""
    sender = threading.Thread(target=connection.send, args=(data,), daemon=True)
    sender.start()
    return sender


def test_ten_thousand_pipelined_requests_in_one_write(proxy):
    with RawConnection.tcp(proxy.port, timeout=60) as connection:
        sender = send_in_background(connection, encode_request("GET", "/nope") * 10_000)
        statuses = [connection.read_response().status for _ in range(10_000)]
        sender.join(timeout=60)
    assert statuses == [404] * 10_000


def test_pipelined_flood_behind_a_request_waiting_for_a_model_load(proxy):
    body = json.dumps(chat_body("tiny-b", max_tokens=2)).encode()
    with RawConnection.tcp(proxy.port, timeout=60) as connection:
        sender = send_in_background(connection, encode_request("POST", "/v1/chat/completions", body)
                                    + encode_request("GET", "/nope") * 10_000)
        first = connection.read_response("POST")
        rest = [connection.read_response().status for _ in range(10_000)]
        sender.join(timeout=60)
    assert first.status == 200, first.body[:300]
    assert rest == [404] * 10_000
    expect_loaded(proxy, "tiny-b")


def assert_json_error(response, *statuses):
    assert response.status in statuses, (response.status, response.body[:300])
    error = response.json()["error"]  # valid JSON (so valid UTF-8), in OpenAI's shape
    assert set(error) >= {"message", "type", "code"}, error


SMUGGLED = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize("raw, status", [
    (b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
     + SMUGGLED, 400),
    (b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n"
     + SMUGGLED, 400),
    (b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n" + SMUGGLED, 501),
    (b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: +2\r\n\r\n{}" + SMUGGLED, 400),
    (b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}" + SMUGGLED, 400),
], ids=["CL.TE", "TE.CL", "chunked-chunked", "plus-content-length", "two-content-lengths"])
def test_smuggling_attempts_are_refused_and_nothing_slips_through(proxy, raw, status):
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        connection.send(raw)
        assert_json_error(connection.read_response("POST"), status)
        assert connection.reader.read() == b"", "the connection must close after a framing error"
    assert "/smuggled" not in proxy.log()


def test_deep_json_nesting_is_refused(proxy):
    body = b'{"model":"tiny-a","messages":' + b"[" * 100_000
    response = request(proxy.port, "POST", "/v1/chat/completions", body)
    assert_json_error(response, 400)


@pytest.mark.parametrize("model", [b'"tiny\\u0000a"', b'"tiny-\xff\xfe"', b'"tiny\x00a"'],
                         ids=["escaped-nul", "invalid-utf8", "raw-nul"])
def test_nul_and_invalid_utf8_in_model_names(proxy, model):
    body = b'{"model":' + model + b',"messages":[{"role":"user","content":"hi"}]}'
    assert_json_error(request(proxy.port, "POST", "/v1/chat/completions", body), 400, 404)


def test_duplicated_model_key(proxy):
    """llama-server parses with nlohmann::json, whose object insertion keeps the last duplicate
    (the DOM parser assigns through operator[]); the proxy must route by that one too, or refuse."""
    body = (b'{"model":"tiny-a","model":"tiny-b","messages":[{"role":"user","content":"hi"}],"max_tokens":2}')
    response = request(proxy.port, "POST", "/v1/chat/completions", body)
    if response.status == 400:
        assert_json_error(response, 400)
        return
    assert response.status == 200, response.body[:300]
    assert proxy.child_for("tiny-b.gguf") is not None, "routed by the first key, llama-server reads the last"
    assert response.json()["model"] == "tiny-b"
    expect_loaded(proxy, "tiny-b")


def read_until_closed(sock, limit=1 << 20):
    """What the proxy sent before closing (bounded by the socket's timeout and `limit` bytes)."""
    received = b""
    try:
        while len(received) < limit and (data := sock.recv(65536)):
            received += data
    except ConnectionResetError:
        pass
    return received


def test_a_thousand_slowloris_connections_get_408_while_a_normal_client_is_served(impatient_proxy):
    proxy = impatient_proxy
    raise_own_fd_limit(1_200)
    head = encode_request("POST", "/v1/chat/completions", b"{}")
    dribblers = [socket.create_connection(("127.0.0.1", proxy.port), timeout=30) for _ in range(1_000)]
    try:
        sent = {sock: 0 for sock in dribblers}
        # A few bytes each, every 0.2 s, for longer than request_header_seconds: the deadline is the
        # whole head's, not reset by each dribble.
        started = time.monotonic()
        rounds = 0
        while sent and time.monotonic() - started < HEAD_SECONDS * 3 and rounds < 100:
            rounds += 1
            for sock in list(sent):
                try:
                    sock.send(head[sent[sock]:sent[sock] + 3])
                    sent[sock] = min(sent[sock] + 3, len(head) - 1)  # never the whole head
                except (BrokenPipeError, ConnectionResetError):
                    del sent[sock]
            if rounds == 2:  # mid-attack: a normal client is served
                assert_chat_served(proxy)
            time.sleep(0.2)
        answers = [read_until_closed(sock) for sock in dribblers]
    finally:
        for sock in dribblers:
            sock.close()
    statuses = {answer.split(b"\r\n", 1)[0] for answer in answers}
    assert statuses <= {b"HTTP/1.1 408 Request Timeout", b""}, statuses
    assert b"HTTP/1.1 408 Request Timeout" in statuses  # a head was started, so the proxy says why


def test_three_thousand_idle_keep_alive_connections_and_a_new_one_is_still_served(proxy):
    raise_own_fd_limit(3_300)
    after_a_request = [RawConnection.tcp(proxy.port, timeout=30) for _ in range(2_000)]
    just_connected = [socket.create_connection(("127.0.0.1", proxy.port), timeout=30) for _ in range(1_000)]
    try:
        for connection in after_a_request:
            connection.send(encode_request("GET", "/health"))
        for connection in after_a_request:
            response = connection.read_response()
            assert response.status == 200 and response.header("Connection") != "close", response
        assert_chat_served(proxy)  # on a new connection, with 3,000 idle ones open
        # The idle ones were kept open, not shed: each still answers.
        for connection in after_a_request[::100]:
            assert connection.request("GET", "/health").status == 200
    finally:
        for connection in after_a_request:
            connection.close()
        for sock in just_connected:
            sock.close()


def has_answer(sock) -> bool:
    return bool(select.select([sock], [], [], 0)[0])


def test_a_slow_body_is_waited_for_while_it_moves_and_gets_408_once_it_stalls(impatient_proxy):
    proxy = impatient_proxy
    with RawConnection.tcp(proxy.port, timeout=30) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", headers=[("Content-Length", "1000")]))
        # A byte every 100 ms for 1.5 x request_header_seconds: each byte is progress.
        dribble = threading.Thread(target=lambda: [(connection.send(b" "), time.sleep(0.1))
                                                  for _ in range(HEAD_SECONDS * 15)], daemon=True)
        dribble.start()
        assert_chat_served(proxy)  # meanwhile others are served
        dribble.join(timeout=30)
        assert not dribble.is_alive()
        assert not has_answer(connection.sock), "a body that keeps moving must not be cut off"
        # Now it stalls for longer than request_header_seconds.
        response = connection.read_response("POST")
        assert_json_error(response, 408)
        assert connection.reader.read() == b""


def test_a_client_that_never_reads_its_stream_is_dropped_and_frees_the_slot(impatient_proxy):
    proxy = impatient_proxy
    max_tokens = 15_000  # minutes of generation for the tiny model: never reached if dropped
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # fills at once
    sock.settimeout(30)
    sock.connect(("127.0.0.1", proxy.port))
    try:
        sock.sendall(encode_request("POST", "/v1/chat/completions", json.dumps(
            chat_body("tiny-a", max_tokens=max_tokens, stream=True, ignore_eos=True)).encode()))
        child = proxy.child_for("tiny-a.gguf")
        wait_until(lambda: metrics(child)["requests_processing"] == 1, timeout=30, message="generation to start")
        # Others are served meanwhile, on the same proxy and on another model.
        assert request(proxy.port, "GET", "/health").status == 200
        response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-b", max_tokens=2))
        assert response.status == 200, response.body[:300]
        expect_loaded(proxy, "tiny-b")
        # After keep_alive_seconds without taking output, the proxy drops it and abandons upstream.
        wait_until(lambda: metrics(child)["requests_processing"] == 0, timeout=IDLE_SECONDS + 30,
                   message="llama-server to stop generating for the client that never reads")
        assert metrics(child)["tokens_predicted_total"] < max_tokens
        received = read_until_closed(sock)
    finally:
        sock.close()
    assert b"[DONE]" not in received, "the stream was cut, not finished"
    proxy.wait_for_log("model=tiny-a status=499")  # logged as the client's leaving
    # The one slot (-np 1) is free: the next request to the same model is served.
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a", max_tokens=2), timeout=60)
    assert response.status == 200, response.body[:300]


ECHO_UPSTREAM = Path(__file__).with_name("echo_upstream.py")  # answers with the body it received


@pytest.fixture
def echo_proxy(start_proxy):
    """In front of echo_upstream.py, to see the exact body that reaches the model."""
    proxy = start_proxy(llama_server=ECHO_UPSTREAM)
    assert_echoed(proxy)
    before = Footprint.of(proxy.pid)
    yield proxy
    assert_echoed(proxy)
    assert_settles_back(proxy.pid, before)


CHAT = b'{"model":"tiny-a","messages":[{"role":"user","content":"hi"}]}'


def assert_echoed(proxy):
    response = request(proxy.port, "POST", "/v1/chat/completions", CHAT)
    assert (response.status, response.body) == (200, CHAT)


def chunked(body: bytes, extension: bytes = b"", size: int = 5) -> bytes:
    pieces = [body[i:i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x%s\r\n%s\r\n" % (len(piece), extension, piece) for piece in pieces) + b"0" + extension + b"\r\n\r\n"


CHUNKED_HEAD = b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize("extension", [b";ext=1", b';name="quoted value"', b";a;b=2"])
def test_chunk_extensions_are_ignored_and_the_model_gets_the_plain_body(echo_proxy, extension):
    with RawConnection.tcp(echo_proxy.port, timeout=10) as connection:
        connection.send(CHUNKED_HEAD + chunked(CHAT, extension) + encode_request("GET", "/health"))
        response = connection.read_response("POST")
        assert (response.status, response.body) == (200, CHAT)  # de-chunked, without the extensions
        assert connection.read_response().status == 200  # the connection stays in step


@pytest.mark.parametrize("raw", [
    b"POST /v1/chat/completions HTTP/1.1\nHost: x\nContent-Length: %d\n\n" % len(CHAT) + CHAT,
    b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\nContent-Length: %d\r\n\r\n" % len(CHAT) + CHAT,
    CHUNKED_HEAD + chunked(CHAT).replace(b"\r\n", b"\n", 1),
    CHUNKED_HEAD + chunked(CHAT)[:-4] + b"\n\n",
], ids=["head-all-lf", "head-one-lf", "chunk-size-lf", "last-chunk-lf"])
def test_bare_lf_line_endings_frame_the_request_one_way_and_nothing_is_smuggled(echo_proxy, raw):
    """The codec takes a bare LF as a line end (RFC 9112 section 2.2 allows it) in heads and chunk
    lines alike, and forwards its own framing: the model gets exactly the body, and what follows is
    the proxy's next request on the connection, never a second request hidden in the first."""
    with RawConnection.tcp(echo_proxy.port, timeout=10) as connection:
        connection.send(raw + SMUGGLED)
        response = connection.read_response("POST")
        assert (response.status, response.body) == (200, CHAT)
        assert_json_error(connection.read_response(), 404)  # GET /smuggled, answered by the proxy


SHIPPED_PLUGINS = ("libSysPrompt.so", "libCompare.so", "libSampling.so")


@pytest.fixture
def proxy_with_plugins(start_proxy, proxy_binary):
    def install_shipped_plugins(proxy):
        folder = proxy.workdir / "plugins"
        folder.mkdir(mode=0o755)
        for name in SHIPPED_PLUGINS:
            (folder / name).write_bytes((proxy_binary.parent / name).read_bytes())
            (folder / name).chmod(0o644)
        proxy.config["plugins_dir"] = str(folder)
    yield from guarded(start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2, before_start=install_shipped_plugins))


@pytest.mark.parametrize("command", ["/sys", "/compare", "/temp", "/model", "/json", "/help"])
def test_a_one_megabyte_slash_command_argument_gets_a_clear_answer(proxy_with_plugins, command):
    # Words: one 1 MB word kept llama-server's tokenizer busy for over a minute (the model's work, not the proxy's).
    content = f"{command} {'word ' * 200_000}\nhello"
    response = request(proxy_with_plugins.port, "POST", "/v1/chat/completions",
                       chat_body("tiny-a", content=content, max_tokens=2), timeout=60)
    if response.status == 200:
        assert response.json()["object"] == "chat.completion", response.body[:300]
    else:
        assert_json_error(response, 400, 404, 413, 500, 503, 504)
