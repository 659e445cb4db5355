"""Optional API keys, checked by the real proxy, used through the official openai client."""
import json
import signal

import openai
import pytest

from http_client import chat_body, request
from processes import wait_until
from test_agents import chat, plugins_folder

CLIENT_KEY = "sk-client-7f3a9c1e5b"
OTHER_CLIENT_KEY = "sk-client-second-42"
ADMIN_KEY = "sk-admin-0d8e6b2a91"
WRONG_KEY = "sk-wrong-ffffffffff"
INVALID_API_KEY = {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                             "code": "invalid_api_key"}}


def start_with_keys(start_proxy, **overrides):
    return start_proxy(api_keys=[CLIENT_KEY, OTHER_CLIENT_KEY], admin_api_keys=[ADMIN_KEY], **overrides)


def openai_client(proxy, key):
    return openai.OpenAI(base_url=f"{proxy.base_url}/v1", api_key=key, max_retries=0, timeout=60)


def assert_no_key_logged(proxy, *keys):
    log = proxy.log()
    for key in keys:
        assert key not in log, "a key reached the proxy log"


def test_the_right_key_works_for_chat_streaming_and_models(start_proxy):
    proxy = start_with_keys(start_proxy)
    with openai_client(proxy, OTHER_CLIENT_KEY) as client:
        assert {"tiny-a", "tiny-b"} <= {model.id for model in client.models.list()}
        completion = client.chat.completions.create(
            model="tiny-a", messages=[{"role": "user", "content": "hi"}], max_tokens=4)
        assert completion.usage.completion_tokens == 4
        chunks = list(client.chat.completions.create(
            model="tiny-a", messages=[{"role": "user", "content": "hi"}], max_tokens=6, stream=True))
        assert chunks[-1].choices[0].finish_reason == "length"
    with openai_client(proxy, ADMIN_KEY) as admin:  # an admin key is accepted everywhere
        assert admin.models.retrieve("tiny-b").id == "tiny-b"
    assert_no_key_logged(proxy, CLIENT_KEY, OTHER_CLIENT_KEY, ADMIN_KEY)


@pytest.mark.parametrize("key", [None, WRONG_KEY, CLIENT_KEY[:-1], CLIENT_KEY + "x", CLIENT_KEY.upper()])
def test_a_wrong_or_missing_key_is_an_authentication_error(start_proxy, key):
    proxy = start_with_keys(start_proxy)
    # None: no Authorization at all (the client insists on a key, but lets a request omit it).
    omitted = {"extra_headers": {"Authorization": openai.Omit()}} if key is None else {}
    with openai_client(proxy, key or "unused") as client:
        with pytest.raises(openai.AuthenticationError) as raised:
            client.chat.completions.create(
                model="tiny-a", messages=[{"role": "user", "content": "hi"}], max_tokens=4, **omitted)
        assert raised.value.code == "invalid_api_key"
        assert raised.value.body == INVALID_API_KEY["error"]
        with pytest.raises(openai.AuthenticationError):
            client.models.list(**omitted)
    assert proxy.children() == []  # nothing was started for it
    assert_no_key_logged(proxy, CLIENT_KEY, OTHER_CLIENT_KEY, ADMIN_KEY, WRONG_KEY)


def test_missing_and_wrong_keys_get_the_same_answer(start_proxy):
    proxy = start_with_keys(start_proxy)
    answers = [
        request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"), headers=headers)
        for headers in ([], [("Authorization", f"Bearer {WRONG_KEY}")], [("x-api-key", WRONG_KEY)],
                        [("Authorization", f"Basic {CLIENT_KEY}")], [("Authorization", CLIENT_KEY)])
    ]
    for answer in answers:
        assert answer.status == 401
        assert json.loads(answer.body) == INVALID_API_KEY
        assert answer.header("WWW-Authenticate") == "Bearer"
    assert len({answer.body for answer in answers}) == 1
    proxy.wait_for_log("status=401")
    assert_no_key_logged(proxy, CLIENT_KEY, WRONG_KEY)


def test_x_api_key_and_any_bearer_spelling_work(start_proxy):
    proxy = start_with_keys(start_proxy)
    for headers in ([("x-api-key", CLIENT_KEY)], [("X-API-Key", ADMIN_KEY)], [("authorization", f"bearer {CLIENT_KEY}")]):
        assert request(proxy.port, "GET", "/v1/models", headers=headers).status == 200
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a", max_tokens=2),
                       headers=[("x-api-key", CLIENT_KEY)])
    assert response.status == 200, response.body


def test_health_stays_open_and_every_other_route_needs_a_key(start_proxy):
    proxy = start_with_keys(start_proxy)
    assert request(proxy.port, "GET", "/health").status == 200
    assert request(proxy.port, "HEAD", "/health").status == 200
    for method, target in [("GET", "/v1/models"), ("GET", "/v1/models/tiny-a"), ("GET", "/v1/agents"),
                           ("GET", "/models"), ("HEAD", "/v1/models"), ("GET", "/nope"), ("POST", "/v1/embeddings")]:
        body = chat_body("tiny-a") if method == "POST" else None
        assert request(proxy.port, method, target, body).status == 401, target


def test_a_client_key_does_not_open_the_management_routes(start_proxy):
    proxy = start_with_keys(start_proxy)
    body = {"model": "tiny-a"}
    assert request(proxy.port, "POST", "/models/unload", body, headers=[("x-api-key", CLIENT_KEY)]).status == 401
    # The admin key passes the check (the route itself comes with the management API).
    assert request(proxy.port, "POST", "/models/unload", body, headers=[("x-api-key", ADMIN_KEY)]).status != 401


def test_keys_file_is_reread_on_sighup(start_proxy, tmp_path):
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text(f"# the first team\n{CLIENT_KEY}\n\n")
    proxy = start_proxy(api_keys_file=str(keys_file))

    def status(key):
        return request(proxy.port, "GET", "/v1/models", headers=[("Authorization", f"Bearer {key}")]).status

    assert status(CLIENT_KEY) == 200
    assert status(OTHER_CLIENT_KEY) == 401

    keys_file.write_text(f"{OTHER_CLIENT_KEY}\n")
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: status(OTHER_CLIENT_KEY) == 200, timeout=10, message="the new key to be accepted")
    assert status(CLIENT_KEY) == 401

    # A bad keys file is a bad configuration: the running one stays.
    keys_file.write_text("a key with spaces\n")
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: "reload failed" in proxy.log(), timeout=10, message="the bad reload to be logged")
    assert status(OTHER_CLIENT_KEY) == 200
    assert status(CLIENT_KEY) == 401

    # Emptying the file revokes every key; it does not turn access control off.
    keys_file.write_text("# everyone revoked\n")
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: status(OTHER_CLIENT_KEY) == 401, timeout=10, message="the emptied file to revoke the key")
    assert request(proxy.port, "GET", "/v1/models").status == 401
    assert request(proxy.port, "GET", "/health").status == 200
    assert_no_key_logged(proxy, CLIENT_KEY, OTHER_CLIENT_KEY, "a key with spaces")


def test_agents_loopback_calls_work_with_keys_on(start_proxy, proxy_binary):
    def prepare(proxy):
        proxy.config["plugins_dir"] = str(plugins_folder(proxy.workdir, proxy_binary.parent / "libCompare.so"))
        proxy.config.setdefault("timeouts", {})["agent_seconds"] = 60
    proxy = start_with_keys(start_proxy, before_start=prepare, max_loaded=2)
    body = json.dumps({"model": "tiny-a", "max_tokens": 4,
                       "messages": [{"role": "user", "content": "/compare tiny-a,tiny-b hello"}]}).encode()
    response = request(proxy.port, "POST", "/v1/chat/completions", body, headers=[("x-api-key", CLIENT_KEY)])
    assert response.status == 200, response.body
    text = json.loads(response.body)["choices"][0]["message"]["content"]
    assert text.startswith("### tiny-a\n") and "\n\n### tiny-b\n" in text and "(error" not in text
    proxy.wait_for_log("model=tiny-a status=200", "model=tiny-b status=200")


def test_a_forged_agent_marker_neither_skips_the_key_nor_the_agents(start_proxy, proxy_binary):
    def prepare(proxy):
        proxy.config["plugins_dir"] = str(plugins_folder(proxy.workdir, proxy_binary.parent / "libSysPrompt.so"))
    proxy = start_with_keys(start_proxy, before_start=prepare)
    forged = [("X-Llama-Smart-Proxy-Agent", "1")]
    body = chat_body("tiny-a", content="/help")
    assert request(proxy.port, "POST", "/v1/chat/completions", body, headers=forged).status == 401
    answered = request(proxy.port, "POST", "/v1/chat/completions", body, headers=forged + [("x-api-key", CLIENT_KEY)])
    assert answered.status == 200
    assert "/sys" in json.loads(answered.body)["choices"][0]["message"]["content"]
    proxy.wait_for_log("answered by /help")
    assert proxy.children() == []


def test_the_agent_marker_never_reaches_the_model(start_proxy):
    from test_passthrough import ECHO_UPSTREAM
    proxy = start_proxy(llama_server=ECHO_UPSTREAM)
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"),
                       headers=[("X-Llama-Smart-Proxy-Agent", "1"), ("X-Echo-Headers", "1")])
    assert response.status == 200
    names = response.header("X-Request-Header-Names").split(",")
    assert "x-echo-headers" in names and "x-llama-smart-proxy-agent" not in names


def test_keys_never_reach_the_model_when_keys_are_on(start_proxy):
    from test_passthrough import ECHO_UPSTREAM
    proxy = start_with_keys(start_proxy, llama_server=ECHO_UPSTREAM)
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"),
                       headers=[("Authorization", f"Bearer {CLIENT_KEY}"), ("x-api-key", CLIENT_KEY), ("X-Echo-Headers", "1")])
    assert response.status == 200
    names = response.header("X-Request-Header-Names").split(",")
    assert "x-echo-headers" in names and "authorization" not in names and "x-api-key" not in names

    # With keys off, the proxy has no use for them: they pass through as they came.
    open_proxy = start_proxy(llama_server=ECHO_UPSTREAM)
    passed = request(open_proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"),
                     headers=[("Authorization", "Bearer for-the-upstream"), ("X-Echo-Headers", "1")])
    assert "authorization" in passed.header("X-Request-Header-Names").split(",")


def test_keys_off_by_default(start_proxy):
    proxy = start_proxy()
    assert request(proxy.port, "GET", "/v1/models").status == 200
    assert "api_keys=off" in proxy.log()
