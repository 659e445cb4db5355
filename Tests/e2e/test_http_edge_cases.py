"""HTTP/1.1 details over a raw socket: keep-alive, 100-continue, chunked bodies, limits, bad input."""
import json

import pytest

from http_client import RawConnection, chat_body, encode_request

LIMITS = {"max_body_bytes": 1 << 20, "max_header_bytes": 8192}


@pytest.fixture
def proxy(start_proxy):
    return start_proxy(model_files=("tiny-a",), limits=LIMITS)


def assert_error(response, status):
    assert response.status == status, (response.status, response.body[:300])
    if response.body:
        assert "error" in response.json()


def test_keep_alive_serves_several_requests_on_one_connection(proxy):
    body = json.dumps(chat_body("tiny-a", max_tokens=4)).encode()
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        assert connection.request("GET", "/health").status == 200
        for _ in range(3):
            response = connection.request("POST", "/v1/chat/completions", body)
            assert response.status == 200
            assert response.json()["object"] == "chat.completion"
        assert connection.request("GET", "/v1/models").status == 200


def test_pipelined_requests_are_answered_in_order(proxy):
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        connection.send(encode_request("GET", "/v1/models") + encode_request("GET", "/health")
                        + encode_request("GET", "/v1/models"))
        first, second, third = (connection.read_response() for _ in range(3))
    assert first.status == second.status == third.status == 200
    assert first.json()["object"] == "list" and third.body == first.body


def test_expect_100_continue_gets_interim_response_before_body(proxy):
    body = json.dumps(chat_body("tiny-a", max_tokens=4)).encode()
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", None,
                                       [("Content-Length", str(len(body))), ("Expect", "100-continue"),
                                        ("Content-Type", "application/json")]))
        interim = connection.read_head()
        assert interim.status == 100
        connection.send(body)
        response = connection.read_response("POST")
    assert response.status == 200
    assert response.json()["object"] == "chat.completion"


def test_chunked_request_body(proxy):
    body = json.dumps(chat_body("tiny-a", max_tokens=4)).encode()
    pieces = [body[:10], body[10:11], body[11:]]
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", None,
                                       [("Transfer-Encoding", "chunked"), ("Content-Type", "application/json")])
                        + chunked)
        response = connection.read_response("POST")
    assert response.status == 200, response.body
    assert response.json()["object"] == "chat.completion"


def test_header_block_too_large_is_431(proxy):
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        connection.send(encode_request("GET", "/health", None, [("X-Filler", "a" * 20000)]))
        assert_error(connection.read_response(), 431)


def test_body_over_limit_is_413_without_sending_it(proxy):
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", None,
                                       [("Content-Length", str(2 << 20)), ("Content-Type", "application/json")]))
        assert_error(connection.read_response("POST"), 413)


def test_chunked_body_over_limit_is_413(proxy):
    piece = b"x" * 65536
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", None, [("Transfer-Encoding", "chunked")]))
        try:
            for _ in range(20):  # 1.25 MiB against a 1 MiB limit; the proxy may stop reading early
                connection.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert_error(connection.read_response("POST"), 413)


@pytest.mark.parametrize("raw", [
    b"NOT A REQUEST\r\n\r\n",
    b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
    b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n",
    b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
], ids=["request-line", "header-without-colon", "bad-content-length", "conflicting-framing"])
def test_malformed_requests_are_400(proxy, raw):
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        connection.send(raw)
        assert_error(connection.read_response(), 400)


def test_http2_version_is_505(proxy):
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        connection.send(b"GET /health HTTP/2.0\r\nHost: x\r\n\r\n")
        assert_error(connection.read_response(), 505)


def test_http10_request_is_answered_and_closed(proxy):
    with RawConnection.tcp(proxy.port, timeout=10) as connection:
        connection.send(b"GET /health HTTP/1.0\r\n\r\n")
        response = connection.read_response()
        assert response.status == 200
        assert connection.reader.read() == b""  # closed after the answer
