"""Agents that patch the request (the Sampling plugin: /temp, /json, /model): the body that
reaches the model is the client's, byte for byte, except the patched bytes.

The echo upstream (echo_upstream.py) answers with the exact body it received, which makes the
edited bytes observable; a real llama-server checks that JSON mode really takes effect.
"""
import json
from pathlib import Path

from http_client import request

ECHO_UPSTREAM = Path(__file__).with_name("echo_upstream.py")

# Odd spacing, escapes, number spellings and an unknown member, all of which must survive.
HEAD = b'  {\n\t"model" :"tiny-a" ,"x_unknown": {"n": [1, 2.50e0, null]}, "temperature":1.0E0,\r\n"messages":[' \
       b'{"role":"system","content":"caf\\u00e9"}, {"content":"earlier","role":"user"},{"role":"assistant","content":"ok"},' \
       b' {"role" : "user", "content" : '
TAIL = b' }], "max_tokens":3 }\n'


def prepare_sampling(proxy, proxy_binary):
    folder = proxy.workdir / "plugins"
    folder.mkdir(mode=0o755)
    library = folder / "libSampling.so"
    library.write_bytes((proxy_binary.parent / "libSampling.so").read_bytes())
    library.chmod(0o644)
    proxy.config["plugins_dir"] = str(folder)


def start_with_sampling(start_proxy, proxy_binary, **overrides):
    return start_proxy(before_start=lambda proxy: prepare_sampling(proxy, proxy_binary), **overrides)


def post(proxy, body):
    return request(proxy.port, "POST", "/v1/chat/completions", body)


def test_temp_changes_only_the_temperature_and_the_command_text(start_proxy, proxy_binary):
    proxy = start_with_sampling(start_proxy, proxy_binary, llama_server=ECHO_UPSTREAM)
    response = post(proxy, HEAD + b'"/temp 0.25 Tell me about \\"caf\\u00e9\\" \xe2\x82\xac"' + TAIL)
    assert response.status == 200, response.body
    assert response.body == HEAD.replace(b'"temperature":1.0E0', b'"temperature":0.25') \
        + b'"Tell me about \\"caf\\u00e9\\" \xe2\x82\xac"' + TAIL


def test_json_adds_response_format_after_the_last_member(start_proxy, proxy_binary):
    proxy = start_with_sampling(start_proxy, proxy_binary, llama_server=ECHO_UPSTREAM)
    response = post(proxy, HEAD + b'"/json list three colours"' + TAIL)
    assert response.status == 200, response.body
    assert response.body == HEAD + b'"list three colours"' \
        + b' }], "max_tokens":3,"response_format":{"type":"json_object"} }\n'


def test_model_routes_the_request_to_the_other_model(start_proxy, proxy_binary):
    proxy = start_with_sampling(start_proxy, proxy_binary, llama_server=ECHO_UPSTREAM)
    content = [{"type": "text", "text": "/model tiny-b  hello\nthere"}]
    body = json.dumps({"model": "tiny-a", "messages": [{"role": "user", "content": content}]}).encode()
    response = post(proxy, body)
    assert response.status == 200, response.body
    assert response.body == body.replace(b'"tiny-a"', b'"tiny-b"').replace(b"/model tiny-b  hello", b"hello")
    assert "model=tiny-a" not in proxy.wait_for_log("model=tiny-b status=200")  # tiny-a was never asked for

    unknown = post(proxy, body.replace(b"/model tiny-b", b"/model nope"))
    assert unknown.status == 404
    assert json.loads(unknown.body)["error"]["code"] == "model_not_found"


def test_usage_errors_come_from_the_agent(start_proxy, proxy_binary):
    proxy = start_with_sampling(start_proxy, proxy_binary, llama_server=ECHO_UPSTREAM)
    for content in (b"/temp warm hello", b"/temp 0.5", b"/json", b"/model tiny-b"):
        response = post(proxy, b'{"model":"tiny-a","messages":[{"role":"user","content":"' + content + b'"}]}')
        assert response.status == 400, (content, response.body)
        assert json.loads(response.body)["error"]["code"] == "agent_failed"


def test_json_mode_really_constrains_llama_server(start_proxy, proxy_binary):
    proxy = start_with_sampling(start_proxy, proxy_binary)
    body = {"model": "tiny-a", "messages": [{"role": "user", "content": "/json say hi"}], "max_tokens": 8}
    response = post(proxy, json.dumps(body).encode())
    assert response.status == 200, response.body
    # A grammar for a JSON object: the answer can only start with "{" (whatever the tiny model).
    assert json.loads(response.body)["choices"][0]["message"]["content"].lstrip().startswith("{")


def test_log_patched_requests_logs_the_exact_body_the_model_gets_and_is_off_by_default(start_proxy, proxy_binary):
    body = b'{"model":"tiny-a", "temperature":1,"messages":[{"role":"user","content":"/temp 0.5 hi there"}]}'
    sent = b'{"model":"tiny-a", "temperature":0.5,"messages":[{"role":"user","content":"hi there"}]}'
    quiet = start_with_sampling(start_proxy, proxy_binary, llama_server=ECHO_UPSTREAM)
    assert post(quiet, body).body == sent
    assert "patched the request" not in quiet.wait_for_log("status=200")

    def prepare_logging(proxy):
        prepare_sampling(proxy, proxy_binary)
        proxy.config["log_patched_requests"] = True
    logging = start_proxy(before_start=prepare_logging, llama_server=ECHO_UPSTREAM)
    response = post(logging, body)
    assert response.body == sent, response.body
    logging.wait_for_log(f"agent /temp patched the request ({len(sent)} bytes): {sent.decode()}")
