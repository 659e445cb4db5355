"""A model's agent (`models.ID.agent`) and a model's response hook (`models.ID.response_hook`),
shown with the Sampling plugin's json-check: as a model's agent it sets JSON mode on every request
to the model and names the `json-check` hook, which lets the answer through only once it is a JSON
object, asking again once. In front of the test's OpenAI stub (scripted answers, every request
body recorded) and of a real llama-server."""
import json
import sys
from pathlib import Path

from http_client import RawConnection, encode_request, request, sse_events
from test_agent_patches import start_with_sampling

STUB = str(Path(__file__).resolve().parent / "openai_stub_server.py")


def stub(answers, bodies: Path, **keys) -> dict:
    return {"cmd": [sys.executable, STUB, "--model-id", "${MODEL_ID}", "--socket", "${SOCKET}",
                    "--answers", json.dumps(answers), "--requests-body-file", str(bodies)], **keys}


def ask(proxy, model: str, content: str, **extra):
    body = {"model": model, "messages": [{"role": "user", "content": content}], **extra}
    return request(proxy.port, "POST", "/v1/chat/completions", json.dumps(body).encode(), timeout=60)


def bodies(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_valid_answer_passes_and_an_invalid_one_is_asked_again_once(start_proxy, proxy_binary, tmp_path):
    once, twice = tmp_path / "once.jsonl", tmp_path / "twice.jsonl"
    proxy = start_with_sampling(start_proxy, proxy_binary, max_loaded=3, models={
        "good": stub(['{"colour": "red"}'], tmp_path / "good.jsonl", agent="json-check"),
        "fixed": stub(["sure, here it is", '{"fixed": true}'], once, response_hook="json-check"),
        "hopeless": stub(["no", "still no"], twice, agent="/json-check"),
    })
    good = ask(proxy, "good", "a colour")
    assert good.status == 200, good.body
    assert json.loads(good.json()["choices"][0]["message"]["content"]) == {"colour": "red"}
    sent = bodies(tmp_path / "good.jsonl")
    # The agent set JSON mode; the model got the client's own stream choice.
    assert len(sent) == 1 and sent[0]["response_format"] == {"type": "json_object"} and sent[0]["stream"] is False
    assert sent[0]["messages"] == [{"role": "user", "content": "a colour"}]

    fixed = ask(proxy, "fixed", "a fact")
    assert json.loads(fixed.json()["choices"][0]["message"]["content"]) == {"fixed": True}
    retry = bodies(once)
    assert len(retry) == 2 and "response_format" not in retry[0]  # the hook alone sets no JSON mode
    assert retry[1]["messages"][:2] == [{"role": "user", "content": "a fact"},
                                        {"role": "assistant", "content": "sure, here it is"}]
    assert "not valid JSON" in retry[1]["messages"][2]["content"]
    proxy.wait_for_log("json-check: asking again")

    hopeless = ask(proxy, "hopeless", "anything")
    assert hopeless.status == 502, hopeless.body
    error = hopeless.json()["error"]
    assert error["code"] == "hook_failed" and error["message"].startswith("json-check: ") and "invalid JSON twice" in error["message"]
    assert len(bodies(twice)) == 2


def test_a_streaming_client_gets_the_checked_answer_as_the_models_own_chunks(start_proxy, proxy_binary, tmp_path):
    proxy = start_with_sampling(start_proxy, proxy_binary, max_loaded=2, models={
        "good": stub(['{"n": 1}'], tmp_path / "good.jsonl", response_hook="json-check"),
        "plain": stub(['{"n": 1}'], tmp_path / "plain.jsonl")})

    def stream(model):
        with RawConnection.tcp(proxy.port, timeout=60) as connection:
            body = json.dumps({"model": model, "stream": True, "messages": [{"role": "user", "content": "n"}]}).encode()
            connection.send(encode_request("POST", "/v1/chat/completions", body))
            response = connection.read_head()
            assert response.status == 200 and response.header("Content-Type") == "text/event-stream"
            return list(sse_events(connection, response))
    events = stream("good")
    assert events[-1] == b"[DONE]"
    text = "".join(json.loads(event)["choices"][0]["delta"].get("content") or "" for event in events[:-1])
    assert json.loads(text) == {"n": 1}
    # Held, then sent as the model wrote them: the same bytes as the other stub's, but its name.
    assert [event.replace(b'"model": "good"', b'"model": "plain"') for event in events] == stream("plain")


def test_requests_to_other_models_and_the_hooks_own_calls_pass_as_they_came(start_proxy, proxy_binary, tmp_path):
    plain = tmp_path / "plain.jsonl"
    proxy = start_with_sampling(start_proxy, proxy_binary, max_loaded=2, models={
        "plain": stub(["plain answer"], plain),
        "checked": stub(['{"a": 1}'], tmp_path / "checked.jsonl", response_hook="json-check")})
    answer = ask(proxy, "plain", "hi", max_tokens=3)
    assert answer.json()["choices"][0]["message"]["content"] == "plain answer"
    assert bodies(plain) == [{"model": "plain", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 3}]
    assert ask(proxy, "checked", "x").status == 200
    # The hook's round went straight to the model (no second pass through the hook).
    assert len(bodies(tmp_path / "checked.jsonl")) == 1
    log = proxy.wait_for_log('note="answered through hook json-check"')
    assert log.count("model=checked status=200") == 2  # the client's request and the hook's round


def test_a_model_whose_agent_is_not_loaded_answers_503_and_the_command_works_too(start_proxy, proxy_binary, tmp_path):
    proxy = start_with_sampling(start_proxy, proxy_binary, max_loaded=2, models={
        "orphan": stub(["x"], tmp_path / "orphan.jsonl", agent="no-such-agent"),
        "stub": stub(['{"from": "command"}'], tmp_path / "stub.jsonl")})
    orphan = ask(proxy, "orphan", "hi")
    assert orphan.status == 503 and orphan.json()["error"]["code"] == "agent_unavailable", orphan.body
    assert "/no-such-agent" in orphan.json()["error"]["message"]
    command = ask(proxy, "stub", "/json-check give me data")
    assert json.loads(command.json()["choices"][0]["message"]["content"]) == {"from": "command"}
    sent = bodies(tmp_path / "stub.jsonl")[0]
    assert sent["messages"] == [{"role": "user", "content": "give me data"}] and sent["response_format"] == {"type": "json_object"}


def test_json_check_in_front_of_a_real_llama_server(start_proxy, proxy_binary, tmp_path, demo_models):
    proxy = start_with_sampling(start_proxy, proxy_binary, models={
        "strict": {"path": str(demo_models / "tiny-a.gguf"), "agent": "json-check"}})
    response = ask(proxy, "strict", "say hi", max_tokens=4)
    # A tiny random model rarely closes its object in 4 tokens: either it did (200, a JSON object)
    # or it was asked twice and the hook says so; both went through llama-server's JSON grammar.
    assert response.status in (200, 502), response.body
    if response.status == 200:
        assert isinstance(json.loads(response.json()["choices"][0]["message"]["content"]), dict)
        assert "timings" in response.json()  # llama-server's own answer, passed byte for byte
    else:
        assert "invalid JSON twice" in response.json()["error"]["message"]
    proxy.wait_for_log("model=strict status=200")
