"""CORS (preflight and the headers on every answer), HEAD on GET routes, routing without the query."""
import json

from http_client import RawConnection, chat_body, encode_request, request
from test_agents import plugins_folder
from test_passthrough import ECHO_UPSTREAM, ODD_BODY

import echo_upstream

PREFLIGHT = [("Origin", "https://chat.example"), ("Access-Control-Request-Method", "POST"),
             ("Access-Control-Request-Headers", "authorization, content-type, x-stainless-lang")]


def all_values(response, name):
    return [value for key, value in response.headers if key.lower() == name.lower()]


def test_no_origin_is_allowed_by_default(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM)
    preflight = request(proxy.port, "OPTIONS", "/v1/chat/completions", headers=PREFLIGHT)
    assert preflight.status == 204
    assert not [name for name, _ in preflight.headers if name.lower().startswith("access-control-")]
    # Not even the upstream's echo of the Origin passes.
    proxied = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"),
                      headers=[("Origin", "https://chat.example"), ("X-Echo-Headers", "1")])
    assert proxied.status == 200
    assert all_values(proxied, "Access-Control-Allow-Origin") == []


def test_a_preflight_is_answered_without_a_key(start_proxy):
    proxy = start_proxy(api_keys=["sk-some-key-123"], cors_origins=["*"])
    for target in ("/v1/chat/completions", "/v1/models", "/anything?x=1"):
        response = request(proxy.port, "OPTIONS", target, headers=PREFLIGHT)
        assert response.status == 204, target
        assert response.body == b""
        assert response.header("Access-Control-Allow-Origin") == "*"
        assert response.header("Access-Control-Allow-Methods") == "GET, HEAD, POST, OPTIONS"
        assert response.header("Access-Control-Allow-Headers") == "authorization, content-type, x-stainless-lang"
        assert response.header("Access-Control-Max-Age") == "86400"
    assert proxy.children() == []


def test_every_answer_carries_one_allow_origin_and_proxied_bodies_are_untouched(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM, api_keys=["sk-some-key-123"], cors_origins=["*"])
    origin = [("Origin", "https://chat.example"), ("X-Echo-Headers", "1")]
    for method, target, body, key in [("GET", "/v1/models", None, True), ("GET", "/health", None, False),
                                      ("GET", "/nope", None, True), ("POST", "/v1/chat/completions", None, False)]:
        headers = origin + ([("x-api-key", "sk-some-key-123")] if key else [])
        response = request(proxy.port, method, target, body, headers=headers)
        assert all_values(response, "Access-Control-Allow-Origin") == ["*"], (target, response.status)

    # The upstream echoes the Origin (as llama-server does): the proxy's policy replaces it.
    proxied = request(proxy.port, "POST", "/v1/chat/completions", ODD_BODY,
                      headers=origin + [("x-api-key", "sk-some-key-123")])
    assert proxied.status == 200
    assert proxied.body == ODD_BODY
    assert all_values(proxied, "Access-Control-Allow-Origin") == ["*"]
    with RawConnection.tcp(proxy.port) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", b'{"model":"tiny-a","stream":true}',
                                       origin + [("x-api-key", "sk-some-key-123")]))
        head = connection.read_head()
        assert all_values(head, "Access-Control-Allow-Origin") == ["*"]
        assert b"".join(connection.body_pieces(head, "POST")) == b"".join(echo_upstream.STREAM_EVENTS)


def test_listed_origins_are_echoed_and_others_get_none(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM, cors_origins=["https://chat.example", "http://localhost:5173"])
    allowed = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"),
                      headers=[("Origin", "http://localhost:5173"), ("X-Echo-Headers", "1")])
    assert all_values(allowed, "Access-Control-Allow-Origin") == ["http://localhost:5173"]
    assert allowed.header("Vary") == "Origin"
    other = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"),
                    headers=[("Origin", "https://evil.example"), ("X-Echo-Headers", "1")])
    assert other.status == 200
    assert all_values(other, "Access-Control-Allow-Origin") == []  # not even the upstream's echo
    preflight = request(proxy.port, "OPTIONS", "/v1/chat/completions",
                        headers=[("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")])
    assert preflight.status == 204
    assert not [name for name, _ in preflight.headers if name.lower().startswith("access-control-")]


def test_an_empty_origin_list_disables_cors(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM, cors_origins=[])
    proxied = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"),
                      headers=[("Origin", "https://chat.example"), ("X-Echo-Headers", "1")])
    assert proxied.status == 200
    assert all_values(proxied, "Access-Control-Allow-Origin") == []
    preflight = request(proxy.port, "OPTIONS", "/v1/models", headers=PREFLIGHT)
    assert preflight.status == 204 and preflight.header("Access-Control-Allow-Origin") is None


def test_head_answers_like_get_without_a_body(start_proxy):
    proxy = start_proxy()
    for target in ("/v1/models", "/v1/models/tiny-a", "/models", "/v1/agents", "/health", "/v1/models?x=1"):
        get = request(proxy.port, "GET", target)
        head = request(proxy.port, "HEAD", target)
        assert get.status == 200 and head.status == 200, target
        assert head.body == b""
        assert head.header("Content-Length") == str(len(get.body)), target
        assert head.header("Content-Type") == get.header("Content-Type")
    assert request(proxy.port, "HEAD", "/v1/models/no-such-model").status == 404
    assert request(proxy.port, "HEAD", "/nope").status == 404
    # The connection stays usable after a HEAD (no body was expected, none was sent).
    with RawConnection.tcp(proxy.port) as connection:
        assert connection.request("HEAD", "/v1/models").status == 200
        assert connection.request("GET", "/health").body == b'{"status":"ok"}'


def test_a_query_string_does_not_skip_the_agents(start_proxy, proxy_binary):
    def prepare(proxy):
        proxy.config["plugins_dir"] = str(plugins_folder(proxy.workdir, proxy_binary.parent / "libSysPrompt.so"))
    proxy = start_proxy(before_start=prepare)
    response = request(proxy.port, "POST", "/v1/chat/completions?x=1&y", chat_body("tiny-a", content="/help"))
    assert response.status == 200
    assert "/sys" in json.loads(response.body)["choices"][0]["message"]["content"]
    assert proxy.children() == []
