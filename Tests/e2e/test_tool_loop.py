"""A tool loop (the Tools plugin's `/calc`): the model asks for the calculator through streamed
`tool_calls`, the agent runs it, appends the call and its result and asks again, and the final
answer streams to the client. The tiny random models cannot call tools, so the model here is the
test's OpenAI stub scripted to call the tool once (its arguments cut in two chunks)."""
import json
import sys
from pathlib import Path

from http_client import RawConnection, encode_request, request, sse_events

STUB = str(Path(__file__).resolve().parent / "openai_stub_server.py")


def start_with_tools(start_proxy, proxy_binary, expression: str, bodies: Path):
    def prepare(proxy):
        folder = proxy.workdir / "plugins"
        folder.mkdir(mode=0o755)
        library = folder / "libTools.so"
        library.write_bytes((proxy_binary.parent / "libTools.so").read_bytes())
        library.chmod(0o644)
        proxy.config["plugins_dir"] = str(folder)
        proxy.config.setdefault("timeouts", {})["agent_seconds"] = 10
    return start_proxy(before_start=prepare, model_files=(), models={"calc-model": {"cmd": [
        sys.executable, STUB, "--model-id", "${MODEL_ID}", "--socket", "${SOCKET}", "--calls-tool", expression,
        "--requests-body-file", str(bodies)]}})


def recorded(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_the_model_calls_the_calculator_and_the_final_answer_streams(start_proxy, proxy_binary, tmp_path):
    bodies = tmp_path / "bodies.jsonl"
    proxy = start_with_tools(start_proxy, proxy_binary, "(12.5 + 3) * 4 - 20", bodies)
    with RawConnection.tcp(proxy.port, timeout=60) as connection:
        body = json.dumps({"model": "calc-model", "stream": True,
                           "messages": [{"role": "user", "content": "/calc what is (12.5 + 3) * 4 - 20?"}]}).encode()
        connection.send(encode_request("POST", "/v1/chat/completions", body))
        response = connection.read_head()
        assert response.status == 200
        events = list(sse_events(connection, response))
    text = "".join(json.loads(e)["choices"][0]["delta"].get("content") or "" for e in events if e != b"[DONE]")
    assert text == "The answer is 42. "  # the stub streams it word by word, a space after each
    first, second = recorded(bodies)
    assert first["tools"][0]["function"]["name"] == "calculate" and first["stream"] is True
    assert first["messages"] == [{"role": "user", "content": "what is (12.5 + 3) * 4 - 20?"}]
    call = second["messages"][1]
    assert call["role"] == "assistant" and call["tool_calls"] == [{"id": "call_1", "type": "function", "function": {
        "name": "calculate", "arguments": json.dumps({"expression": "(12.5 + 3) * 4 - 20"})}}]
    assert second["messages"][2] == {"role": "tool", "tool_call_id": "call_1", "content": "42"}


def test_a_bad_expression_is_reported_to_the_model_not_the_client(start_proxy, proxy_binary, tmp_path):
    bodies = tmp_path / "bodies.jsonl"
    proxy = start_with_tools(start_proxy, proxy_binary, "2 / (1 - 1)", bodies)
    body = {"model": "calc-model", "messages": [{"role": "user", "content": "/calc divide"}]}
    answer = request(proxy.port, "POST", "/v1/chat/completions", body, timeout=60)
    assert answer.status == 200, answer.body
    assert answer.json()["choices"][0]["message"]["content"] == "The answer is error: division by zero. "
    assert recorded(bodies)[1]["messages"][2]["content"] == "error: division by zero"
    usage = request(proxy.port, "POST", "/v1/chat/completions",
                    {"model": "calc-model", "messages": [{"role": "user", "content": "/calc"}]})
    assert usage.status == 400 and "usage: /calc <question>" in usage.json()["error"]["message"]
