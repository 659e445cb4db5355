"""Response hooks (lsp_response_hook): a model's answer goes through a plugin's hook before the
client sees it, whole or chunk by chunk, and the hook passes it on byte for byte, changes it,
holds chunks back, asks the model again, or fails it. The hooks are a C plugin built against the
SDK's header (Tests/e2e/plugins/response_hooks.c); the models are the OpenAI stub (scripted
answers, every request body recorded) and real llama-server."""
import json
import signal
import socket
import sys
from pathlib import Path

import pytest

from http_client import RawConnection, encode_request, request, sse_events
from processes import wait_until
from test_agent_streaming import build_c_plugin
from test_agents import install, plugins_folder

REPO = Path(__file__).resolve().parents[2]
STUB = str(Path(__file__).resolve().parent / "openai_stub_server.py")


@pytest.fixture
def hooks_plugin(tmp_path) -> Path:
    return build_c_plugin("response_hooks.c", tmp_path / "libresponsehooks.so", REPO / "plugin-sdk/include")


def stub_model(hook=None, answers=None, bodies=None, extra=()):
    command = [sys.executable, STUB, "--model-id", "stub", "--socket", "${SOCKET}", *extra]
    if answers is not None:
        command += ["--answers", json.dumps(answers)]
    if bodies is not None:
        command += ["--requests-body-file", str(bodies)]
    model = {"cmd": command}
    if hook:
        model["response_hook"] = hook
    return model


def start(start_proxy, plugin, models, llama_models=(), agent_seconds=10.0, limits=None, **overrides):
    """A proxy with the hooks plugin; `llama_models`: (id, tiny model file, hook) served by llama-server."""
    def prepare(proxy):
        folder = plugins_folder(proxy.workdir)
        install(plugin, folder)
        proxy.config["plugins_dir"] = str(folder)
        proxy.config.setdefault("timeouts", {})["agent_seconds"] = agent_seconds
        if limits:
            proxy.config.setdefault("limits", {}).update(limits)
        for model_id, file, hook in llama_models:
            proxy.config["models"][model_id] = {"path": str(proxy.workdir / "models" / f"{file}.gguf"), "response_hook": hook}
    return start_proxy(before_start=prepare, models=dict(models), model_files=("tiny-a",) if llama_models else (),
                       max_loaded=4, **overrides)


def chat(model, content="hi", stream=False, **extra):
    return json.dumps({"model": model, "stream": stream, "messages": [{"role": "user", "content": content}], **extra}).encode()


def raw_stream(proxy, model, content="hi", **extra):
    """The response head and the whole de-chunked body of a streamed request."""
    with RawConnection.tcp(proxy.port, timeout=60) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", chat(model, content, stream=True, **extra)))
        head = connection.read_head()
        return head, b"".join(connection.body_pieces(head, "POST"))


def events_of(body: bytes) -> list[bytes]:
    return [block[len(b"data: "):] for block in body.split(b"\n\n") if block.startswith(b"data: ")]


def content_of(body: bytes) -> str:
    text = ""
    for event in events_of(body):
        if event != b"[DONE]":
            for choice in json.loads(event).get("choices", []):
                text += choice.get("delta", {}).get("content") or ""
    return text


def answer_text(response) -> str:
    assert response.status == 200, response.body
    return response.json()["choices"][0]["message"]["content"]


def stats(proxy) -> dict:
    text = answer_text(request(proxy.port, "POST", "/v1/chat/completions", chat("anything", "/hook-stats")))
    return dict(pair.split("=") for pair in text.split())


def closed_every_exchange(proxy, exchanges: int):
    """CLOSED came once for each exchange, and nothing after it."""
    wait_until(lambda: stats(proxy)["open"] == "0", timeout=20, message="every exchange closed")
    counts = stats(proxy)
    assert counts == {"open": "0", "opened": str(exchanges), "closed": str(exchanges), "after_close": "0"}, counts


def recorded(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_hook_that_passes_sends_the_models_bytes_unchanged(start_proxy, hooks_plugin):
    same = ["the same words every time"]
    proxy = start(start_proxy, hooks_plugin, {"plain": stub_model(answers=same), "passed": stub_model("pass", answers=same),
                                              "held": stub_model("hold-all", answers=same)})
    whole = [request(proxy.port, "POST", "/v1/chat/completions", chat(model)) for model in ("plain", "passed", "held")]
    assert all(response.status == 200 for response in whole), [response.body for response in whole]
    assert whole[0].body == whole[1].body == whole[2].body
    assert whole[1].header("Content-Type") == "application/json"
    streams = [raw_stream(proxy, model) for model in ("plain", "passed", "held")]
    assert [head.status for head, _ in streams] == [200, 200, 200]
    assert streams[0][1] == streams[1][1] == streams[2][1] and streams[0][1].endswith(b"data: [DONE]\n\n")
    assert streams[1][0].header("Content-Type") == "text/event-stream"
    closed_every_exchange(proxy, 4)
    proxy.wait_for_log('note="answered through hook pass"', 'note="answered through hook hold-all"')


def test_real_llama_server_answers_through_a_hook_whole_and_streamed(start_proxy, hooks_plugin):
    proxy = start(start_proxy, hooks_plugin, {"plain": stub_model()},
                  llama_models=[("held-a", "tiny-a", "hold-all"), ("passed-a", "tiny-a", "pass")])
    whole = request(proxy.port, "POST", "/v1/chat/completions", chat("passed-a", max_tokens=8), timeout=60)
    assert whole.status == 200 and whole.json()["object"] == "chat.completion", whole.body
    assert "timings" in whole.json()  # llama-server's own answer, not one the proxy made
    head, body = raw_stream(proxy, "held-a", max_tokens=12)
    assert head.status == 200
    events = events_of(body)
    assert events[-1] == b"[DONE]" and len(events) >= 4
    chunks = [json.loads(event) for event in events[:-1]]
    assert all(chunk["object"] == "chat.completion.chunk" for chunk in chunks)
    assert chunks[-1]["choices"] == [] or chunks[-1]["choices"][0]["finish_reason"] in ("length", "stop", None)
    closed_every_exchange(proxy, 2)


def test_a_hook_changes_an_answer_whole_or_chunk_by_chunk(start_proxy, hooks_plugin):
    proxy = start(start_proxy, hooks_plugin, {"plain": stub_model(), "redacted": stub_model("redact", answers=["the secret word"])})
    assert answer_text(request(proxy.port, "POST", "/v1/chat/completions", chat("redacted"))) == "the ****** word"
    head, body = raw_stream(proxy, "redacted")
    assert head.status == 200 and content_of(body) == "the ****** word "
    closed_every_exchange(proxy, 2)


def test_a_replacement_with_line_breaks_is_one_event_of_several_data_lines(start_proxy, hooks_plugin):
    proxy = start(start_proxy, hooks_plugin, {"plain": stub_model(), "broken": stub_model("two-lines", answers=["one two three"])})
    head, body = raw_stream(proxy, "broken")
    assert head.status == 200
    blocks = [block for block in body.split(b"\n\n") if block]
    assert blocks[-1] == b"data: [DONE]" and len(blocks) == 4
    for block in blocks[:-1]:
        lines = block.split(b"\n")
        assert len(lines) == 2 and all(line.startswith(b"data: ") for line in lines), block
    # Joined as SSE joins data lines, each event is the hook's JSON again.
    texts = [json.loads(b"\n".join(line[len(b"data: "):] for line in block.split(b"\n")))["choices"][0]["delta"]["content"]
             for block in blocks[:-1]]
    assert texts == ["one ", "two ", "three "]
    closed_every_exchange(proxy, 1)


def test_an_agent_names_the_hook_its_forwarded_request_is_answered_through(start_proxy, hooks_plugin, tmp_path):
    bodies = tmp_path / "bodies.jsonl"
    proxy = start(start_proxy, hooks_plugin, {"plain": stub_model(answers=["your secret is safe"], bodies=bodies)})
    answer = request(proxy.port, "POST", "/v1/chat/completions", chat("plain", "/via-hook secret"))
    assert answer_text(answer) == "your ****** is safe"
    assert recorded(bodies)[0]["messages"] == [{"role": "user", "content": "secret"}]
    # Without the agent, the same model's answer is not hooked.
    assert answer_text(request(proxy.port, "POST", "/v1/chat/completions", chat("plain"))) == "your secret is safe"


def test_a_hook_asks_again_and_the_client_gets_the_second_answer(start_proxy, hooks_plugin, tmp_path):
    bodies = tmp_path / "bodies.jsonl"
    proxy = start(start_proxy, hooks_plugin, {
        "plain": stub_model(), "asked": stub_model("again", answers=["first", "second", "third", "fourth"], bodies=bodies)})
    assert answer_text(request(proxy.port, "POST", "/v1/chat/completions", chat("asked", "question"))) == "second"
    head, body = raw_stream(proxy, "asked", "question")
    assert head.status == 200 and content_of(body) == "fourth "
    sent = recorded(bodies)
    assert len(sent) == 4 and [body["stream"] for body in sent] == [False, False, True, True]
    assert all(body["messages"] == [{"role": "user", "content": "question"}] for body in sent)
    closed_every_exchange(proxy, 2)


def test_a_hook_that_asks_again_at_a_chunk_stops_that_call(start_proxy, hooks_plugin, tmp_path):
    bodies = tmp_path / "bodies.jsonl"
    proxy = start(start_proxy, hooks_plugin, {
        "plain": stub_model(), "early": stub_model("again-early", answers=["one two three four", "five six"], bodies=bodies)})
    head, body = raw_stream(proxy, "early")
    assert head.status == 200 and content_of(body) == "five six "
    assert len(recorded(bodies)) == 2
    closed_every_exchange(proxy, 1)


def test_a_hook_fails_an_answer_before_or_during_its_stream(start_proxy, hooks_plugin):
    proxy = start(start_proxy, hooks_plugin, {
        "plain": stub_model(), "refused": stub_model("refuse"), "late": stub_model("late-fail", answers=["a b c d e"])})
    whole = request(proxy.port, "POST", "/v1/chat/completions", chat("refused"))
    assert whole.status == 422, whole.body
    assert whole.json()["error"]["code"] == "hook_failed" and "refused by hook" in whole.json()["error"]["message"]
    head, body = raw_stream(proxy, "refused")
    assert head.status == 422 and json.loads(body)["error"]["code"] == "hook_failed"  # nothing was sent: a plain error
    head, body = raw_stream(proxy, "late")
    assert head.status == 200
    events = events_of(body)
    assert [json.loads(event)["choices"][0]["delta"]["content"] for event in events[:2]] == ["a ", "b "]
    assert json.loads(events[2])["error"]["code"] == "hook_failed" and events[3] == b"[DONE]" and len(events) == 4
    closed_every_exchange(proxy, 3)
    assert request(proxy.port, "POST", "/v1/chat/completions", chat("plain")).status == 200
    metrics = request(proxy.port, "GET", "/metrics").body.decode()
    assert 'llama_smart_proxy_response_hook_exchanges_total{hook="refuse",outcome="failed"} 2' in metrics
    assert 'llama_smart_proxy_response_hook_exchanges_total{hook="late-fail",outcome="failed"} 1' in metrics


def test_verdicts_that_do_not_fit_and_endless_retries_are_errors(start_proxy, hooks_plugin, tmp_path):
    bodies = tmp_path / "bodies.jsonl"
    proxy = start(start_proxy, hooks_plugin, {
        "plain": stub_model(), "misfit": stub_model("misfit"), "forever": stub_model("forever", bodies=bodies)},
        limits={"response_hook_rounds": 3})
    response = request(proxy.port, "POST", "/v1/chat/completions", chat("misfit"))
    assert response.status == 500 and response.json()["error"]["code"] == "hook_failed", response.body
    assert "does not fit a whole answer" in response.json()["error"]["message"]
    head, body = raw_stream(proxy, "misfit")  # its chunks passed; HOLD at the end ends the stream with an error
    events = events_of(body)
    assert head.status == 200 and json.loads(events[-2])["error"]["code"] == "hook_failed" and events[-1] == b"[DONE]"
    assert "does not fit the end of a stream" in json.loads(events[-2])["error"]["message"]
    response = request(proxy.port, "POST", "/v1/chat/completions", chat("forever"))
    assert response.status == 500 and response.json()["error"]["code"] == "hook_rounds_exceeded", response.body
    assert "limits.response_hook_rounds" in response.json()["error"]["message"]
    assert len(recorded(bodies)) == 3
    closed_every_exchange(proxy, 3)


def test_a_hook_that_does_not_answer_in_time_gets_504_and_the_proxy_serves_on(start_proxy, hooks_plugin):
    proxy = start(start_proxy, hooks_plugin, {"plain": stub_model(), "slow": stub_model("slow")}, agent_seconds=0.5)
    response = request(proxy.port, "POST", "/v1/chat/completions", chat("slow"), timeout=30)
    assert response.status == 504 and response.json()["error"]["code"] == "hook_timeout", response.body
    assert request(proxy.port, "POST", "/v1/chat/completions", chat("plain")).status == 200
    closed_every_exchange(proxy, 1)  # CLOSED still comes, once the slow call returned


def test_an_answer_that_is_not_200_passes_as_it_came_and_a_missing_hook_is_503(start_proxy, hooks_plugin):
    proxy = start(start_proxy, hooks_plugin, {
        "plain": stub_model(), "locked": stub_model("hold-all", extra=("--api-key", "k")), "orphan": stub_model("no-such-hook")})
    locked = request(proxy.port, "POST", "/v1/chat/completions", chat("locked"))
    assert locked.status == 401 and locked.json()["error"]["code"] == "invalid_api_key", locked.body
    orphan = request(proxy.port, "POST", "/v1/chat/completions", chat("orphan"))
    assert orphan.status == 503 and orphan.json()["error"]["code"] == "hook_unavailable", orphan.body
    assert "no-such-hook" in orphan.json()["error"]["message"]
    closed_every_exchange(proxy, 1)


def test_a_client_that_leaves_a_hooked_stream_stops_the_model_and_closes_the_exchange(start_proxy, hooks_plugin):
    proxy = start(start_proxy, hooks_plugin, {"plain": stub_model()}, llama_models=[("passed-a", "tiny-a", "pass")],
                  default_args=["--threads", "1", "-np", "1"])
    connection = RawConnection.tcp(proxy.port, timeout=60)
    connection.send(encode_request("POST", "/v1/chat/completions", chat("passed-a", stream=True, max_tokens=20000, ignore_eos=True)))
    response = connection.read_head()
    assert response.status == 200
    events = sse_events(connection, response)
    for _ in range(5):
        next(events)
    connection.close()
    proxy.wait_for_log("model=passed-a status=499", timeout=20)
    wait_until(lambda: request(proxy.port, "GET", "/v1/models/passed-a").json()["in_flight"] == 0, timeout=20,
               message="the abandoned call's slot is free")
    closed_every_exchange(proxy, 1)
    assert request(proxy.port, "POST", "/v1/chat/completions", chat("passed-a", max_tokens=4), timeout=60).status == 200
    listing = request(proxy.port, "GET", "/v1/agents").json()
    hooks = {hook["name"]: hook for hook in listing["response_hooks"]}
    assert set(hooks) >= {"pass", "redact", "hold-all", "again"} and hooks["pass"]["plugin"] == "response-hooks"
    agents = {agent["command"]: agent for agent in listing["data"]}
    assert agents["/via-hook"]["response_hook"] == "redact" and agents["/hook-stats"]["response_hook"] is None


def test_sighup_while_a_hooked_stream_runs_keeps_it_going(start_proxy, hooks_plugin):
    proxy = start(start_proxy, hooks_plugin, {"plain": stub_model()}, llama_models=[("held-a", "tiny-a", "pass")])
    with RawConnection.tcp(proxy.port, timeout=60) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", chat("held-a", stream=True, max_tokens=400, ignore_eos=True)))
        response = connection.read_head()
        assert response.status == 200
        events = sse_events(connection, response)
        next(events)
        proxy.signal(signal.SIGHUP)
        proxy.wait_for_log("reloaded configuration")
        rest = list(events)
    assert rest[-1] == b"[DONE]" and len(rest) > 10
    closed_every_exchange(proxy, 1)


def test_a_client_that_never_reads_a_hooked_stream_is_dropped_and_frees_the_slot(start_proxy, hooks_plugin):
    idle = 3
    proxy = start(start_proxy, hooks_plugin, {"plain": stub_model()}, llama_models=[("passed-a", "tiny-a", "pass")],
                  default_args=["--threads", "1", "-np", "1"],
                  timeouts={"load_seconds": 60, "queue_seconds": 60, "shutdown_grace_seconds": 30, "keep_alive_seconds": idle})
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # fills at once
    sock.settimeout(60)
    sock.connect(("127.0.0.1", proxy.port))
    try:
        sock.sendall(encode_request("POST", "/v1/chat/completions", chat("passed-a", stream=True, max_tokens=15000, ignore_eos=True)))
        # The proxy stops reading the model's answer for it (back-pressure through the hook), then
        # drops it after keep_alive_seconds without taking output, and the model call is stopped.
        log = proxy.wait_for_log("model=passed-a status=499", timeout=idle + 60)
        proxy.wait_for_log('note="client gone (hook pass)"', timeout=10)
        received = b""
        try:
            while data := sock.recv(65536):
                received += data
        except ConnectionResetError:
            pass
    finally:
        sock.close()
    assert b"[DONE]" not in received, "the stream was cut, not finished"
    wait_until(lambda: request(proxy.port, "GET", "/v1/models/passed-a").json()["in_flight"] == 0, timeout=20,
               message="the dropped client's slot is free")
    closed_every_exchange(proxy, 1)
    assert request(proxy.port, "POST", "/v1/chat/completions", chat("passed-a", max_tokens=4), timeout=60).status == 200
