"""Agents that answer later and stream (the reply functions appended to the plugin ABI), with
a C plugin built against the SDK's header, the Compare plugin, and real llama-server: deltas
reach a streaming client as chunks and a non-streaming one as one chat.completion; a pending
reply's deadline; streamed model calls tied to a reply and stopped when its client leaves; a
plugin built against the header before the append still loads and behaves the same; SIGHUP
while a stream runs."""
import json
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from http_client import RawConnection, encode_request, request, sse_events
from processes import wait_until
from test_agents import install, plugins_folder

REPO = Path(__file__).resolve().parents[2]


def build_c_plugin(source: str, library: Path, include: Path) -> Path:
    subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-pthread", "-I", str(include), "-o", str(library),
                    str(REPO / "Tests/e2e/plugins" / source)], check=True)
    return library


@pytest.fixture
def streaming_plugin(tmp_path) -> Path:
    return build_c_plugin("streaming_agent.c", tmp_path / "libstreaming.so", REPO / "plugin-sdk/include")


@pytest.fixture
def v1_plugin(tmp_path) -> Path:
    """slow_agent.c compiled against the header as first released (before the reply functions),
    the one kept with the first release of the SDK."""
    return build_c_plugin("slow_agent.c", tmp_path / "libslowv1.so", REPO / "Tests/e2e/fixtures/v1-plugins/plugin-sdk/include")


def start(start_proxy, *libraries, agent_seconds=2.0, **overrides):
    def prepare(proxy):
        folder = plugins_folder(proxy.workdir)
        for library in libraries:
            install(library, folder)
        proxy.config["plugins_dir"] = str(folder)
        proxy.config.setdefault("timeouts", {})["agent_seconds"] = agent_seconds
    return start_proxy(before_start=prepare, max_loaded=2, **overrides)


def body(content: str, stream: bool, model: str = "tiny-a", max_tokens: int = 8) -> bytes:
    return json.dumps({"model": model, "stream": stream, "max_tokens": max_tokens,
                       "messages": [{"role": "user", "content": content}]}).encode()


def stream_events(proxy, content: str, **extra):
    """The parsed events of a streamed agent reply, and the response head."""
    with RawConnection.tcp(proxy.port, timeout=60) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", body(content, True, **extra)))
        response = connection.read_head()
        assert response.status == 200, response.status
        assert response.header("Content-Type") == "text/event-stream"
        return [event for event in sse_events(connection, response)]


def content_of(events) -> str:
    text = ""
    for event in events:
        if event == b"[DONE]":
            continue
        for choice in json.loads(event).get("choices", []):
            text += choice["delta"].get("content") or ""
    return text


def test_a_pending_reply_streams_each_delta_as_a_chunk_or_answers_once_whole(start_proxy, streaming_plugin):
    proxy = start(start_proxy, streaming_plugin)
    events = stream_events(proxy, "/drip 5")
    assert events[-1] == b"[DONE]"
    chunks = [json.loads(event) for event in events[:-1]]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert [chunk["choices"][0]["delta"].get("content") for chunk in chunks[:5]] == [f"tick {n} " for n in range(1, 6)]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert len({chunk["id"] for chunk in chunks}) == 1 and all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert content_of(events) == "tick 1 tick 2 tick 3 tick 4 tick 5 done"

    whole = request(proxy.port, "POST", "/v1/chat/completions", body("/drip 3", False))
    assert whole.status == 200, whole.body
    answer = whole.json()
    assert answer["object"] == "chat.completion"
    assert answer["choices"][0]["message"]["content"] == "tick 1 tick 2 tick 3 done"
    proxy.wait_for_log('note="streamed by /drip"', 'note="answered by /drip"')


def test_a_pending_reply_that_never_finishes_ends_at_its_deadline(start_proxy, streaming_plugin):
    proxy = start(start_proxy, streaming_plugin, agent_seconds=0.5)
    response = request(proxy.port, "POST", "/v1/chat/completions", body("/stall", False))
    assert response.status == 504 and response.json()["error"]["code"] == "agent_timeout", response.body
    streamed = request(proxy.port, "POST", "/v1/chat/completions", body("/stall", True))
    assert streamed.status == 504, streamed.body  # nothing was sent yet: a plain error response
    assert request(proxy.port, "POST", "/v1/chat/completions", body("hello", False)).status == 200


def test_a_streamed_model_call_reaches_the_agent_chunk_by_chunk(start_proxy, streaming_plugin):
    proxy = start(start_proxy, streaming_plugin)
    # Each chunk the model sent reached the agent as it came (one dot each). How many tokens make a
    # chunk is llama-server's: it holds back a token that ends inside a UTF-8 character.
    text = content_of(stream_events(proxy, "/relay tiny-a 24"))
    dots, _, tail = text.partition(" status ")
    assert tail.startswith("200 after ") and int(tail.split()[2]) == len(dots) >= 4, text
    proxy.wait_for_log("model=tiny-a status=200")


def test_a_client_that_leaves_stops_the_agents_model_call_and_frees_the_slot(start_proxy, streaming_plugin):
    # -np 1: a slot still held by the abandoned call would make the next request wait for it.
    proxy = start(start_proxy, streaming_plugin, default_args=["--threads", "1", "-np", "1"])
    connection = RawConnection.tcp(proxy.port, timeout=60)
    connection.send(encode_request("POST", "/v1/chat/completions", body("/relay tiny-a 20000", True)))
    response = connection.read_head()
    assert response.status == 200
    events = sse_events(connection, response)
    for _ in range(5):
        next(events)  # the model is generating for the agent
    connection.close()
    log = proxy.wait_for_log("model=tiny-a status=499", timeout=20)
    assert "status=499" in log
    wait_until(lambda: request(proxy.port, "GET", "/v1/models/tiny-a").json()["in_flight"] == 0, timeout=20,
               message="the abandoned call's slot is free")
    started = time.monotonic()
    done = request(proxy.port, "POST", "/v1/chat/completions", body("hello", False), timeout=60)
    assert done.status == 200
    print(f"next request on the one slot answered in {time.monotonic() - started:.3f} s")


def test_compare_streams_each_models_answer_as_it_is_written(start_proxy, proxy_binary):
    proxy = start(start_proxy, proxy_binary.parent / "libCompare.so")
    events = stream_events(proxy, "/compare tiny-a,tiny-b hello there", max_tokens=6)
    text = content_of(events)
    assert text.startswith("### tiny-a\n") and "\n\n### tiny-b\n" in text and "(error" not in text, text
    # Each answer arrives as the model writes it: the second heading is an event of its own, after
    # at least one event of the first model's tokens (not one reply at the end).
    contents = [content_of([event]) for event in events]
    first = next(i for i, piece in enumerate(contents) if piece.startswith("### tiny-a"))
    second = next(i for i, piece in enumerate(contents) if "### tiny-b" in piece)
    assert second - first >= 2 and contents[second].strip() == "### tiny-b", contents
    proxy.wait_for_log('note="streamed by /compare"', "model=tiny-a status=200", "model=tiny-b status=200")
    # Without `stream` the same agent's deltas come back as one chat.completion.
    whole = request(proxy.port, "POST", "/v1/chat/completions", body("/compare tiny-a,tiny-b hello", False))
    assert whole.status == 200 and whole.json()["choices"][0]["message"]["content"].startswith("### tiny-a\n")


def test_a_plugin_built_against_the_header_before_the_append_loads_and_behaves_the_same(start_proxy, v1_plugin):
    proxy = start(start_proxy, v1_plugin, agent_seconds=0.5)
    listed = request(proxy.port, "GET", "/v1/agents").json()
    assert {agent["command"] for agent in listed["data"]} >= {"/slow", "/boom"}, listed
    slept = request(proxy.port, "POST", "/v1/chat/completions", body("/slow 10", False))
    assert slept.status == 200 and slept.json()["choices"][0]["message"]["content"] == "slept"
    assert request(proxy.port, "POST", "/v1/chat/completions", body("/boom", False)).status == 418
    assert request(proxy.port, "POST", "/v1/chat/completions", body("/slow 3000", False)).status == 504


def test_sighup_while_a_reply_streams_leaves_it_whole(start_proxy, streaming_plugin, tmp_path):
    proxy = start(start_proxy, streaming_plugin)
    result = {}

    def run():
        result["events"] = stream_events(proxy, "/drip 40")  # 40 deltas over about 0.8 s

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.2)
    # Replace the plugin file with a fresh build (another file: the reload loads it anew).
    (tmp_path / "rebuilt").mkdir()
    rebuilt = build_c_plugin("streaming_agent.c", tmp_path / "rebuilt" / "libstreaming.so", REPO / "plugin-sdk/include")
    with open(rebuilt, "ab") as library:
        library.write(b"\0rebuilt")  # a different checksum, still a valid library
    install(rebuilt, proxy.workdir / "plugins")
    proxy.signal(signal.SIGHUP)
    worker.join(timeout=30)
    assert content_of(result["events"]) == "".join(f"tick {n} " for n in range(1, 41)) + "done"
    wait_until(lambda: proxy.log().count("agent(s) from") >= 2, message="the reload")
    assert content_of(stream_events(proxy, "/drip 2")) == "tick 1 tick 2 done"
