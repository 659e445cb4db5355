"""Bodies pass through byte for byte, in both directions.

A stand-in upstream (echo_upstream.py) makes the bytes observable: it answers with the exact
request body it received, and streams fixed events containing invalid UTF-8. A real llama-server
run checks the same on generated text: the proxy's answer equals llama-server's own.
"""
import json
import re
import subprocess
from pathlib import Path

from http_client import RawConnection, encode_request, request
from processes import wait_until
from proxy_process import free_port

import echo_upstream

ECHO_UPSTREAM = Path(__file__).with_name("echo_upstream.py")

ODD_BODY = (b'  {\n\t"model" :"tiny-a" ,  "messages":[{"role":"user","content":"caf\\u00e9 \xe2\x82\xac \\"q\\""}],'
            b'\r\n"x_unknown_field": {"nested": [1, 2.50e0, null, true]}, "max_tokens":3 }\n  ')


def test_request_body_reaches_upstream_byte_for_byte(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM)
    response = request(proxy.port, "POST", "/v1/chat/completions", ODD_BODY)
    assert response.status == 200, response.body
    assert response.body == ODD_BODY


def test_large_body_passes_through_unchanged(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM)
    body = json.dumps({"model": "tiny-a", "prompt": "x" * 3_000_000}).encode()
    response = request(proxy.port, "POST", "/v1/completions", body)
    assert response.status == 200
    assert response.body == body


def test_streamed_bytes_pass_through_including_invalid_utf8(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM)
    with RawConnection.tcp(proxy.port) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", b'{"model":"tiny-a","stream":true}'))
        response = connection.read_head()
        assert response.status == 200
        received = b"".join(connection.body_pieces(response, "POST"))
    assert received == b"".join(echo_upstream.STREAM_EVENTS)


def raw_content(body: bytes) -> bytes:
    """The generated text exactly as serialised (escapes and all), without decoding the JSON."""
    match = re.search(rb'"content":"((?:[^"\\]|\\.)*)"', body)
    assert match, body[:300]
    return match.group(1)


def test_generated_text_matches_llama_server_alone(start_proxy, llama_server):
    """Greedy decoding of the same prompt by the same model: the proxy must not alter a byte of
    what llama-server produced (random weights produce plenty of bytes that are not valid UTF-8)."""
    proxy = start_proxy(model_files=("tiny-a",))
    body = json.dumps({"model": "tiny-a", "messages": [{"role": "user", "content": "bytes please"}],
                       "max_tokens": 64, "temperature": 0, "seed": 7}).encode()
    through_proxy = request(proxy.port, "POST", "/v1/chat/completions", body)
    assert through_proxy.status == 200

    port = free_port()
    alone = subprocess.Popen([str(llama_server), "-m", str(proxy.models_dir / "tiny-a.gguf"),
                              *proxy.config["default_args"], "--host", "127.0.0.1", "--port", str(port)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: _healthy(port), message="llama-server alone")
        direct = request(port, "POST", "/v1/chat/completions", body)
    finally:
        alone.terminate()
        alone.wait()
    assert direct.status == 200
    assert raw_content(through_proxy.body) == raw_content(direct.body)
    assert len(raw_content(direct.body)) > 0


def _healthy(port) -> bool:
    try:
        return request(port, "GET", "/health", timeout=2).status == 200
    except OSError:
        return False
