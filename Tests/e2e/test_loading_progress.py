"""While a model loads, a streaming request hears about it: after loading_comment_seconds its
200 event stream starts with `: loading <model> N s` comments (or, with send_loading_state,
reasoning_content chunks), then the model's own stream follows on the same response. A load
that fails ends the stream with an error event; a client that leaves stops the load."""
import json
import os
import re
import time

import openai

from http_client import RawConnection, chat_body, encode_request, request, sse_events
from processes import is_alive, wait_until


def slow_llama_server(tmp_path, llama_server, slow_model: str, seconds: float, then: str = "exec"):
    """A llama-server whose start takes `seconds` longer for one model file; with then="fail" it
    exits 1 after that instead of starting."""
    wrapper = tmp_path / "slow-llama-server"
    after = f'echo "wrapper: failing on purpose" >&2; exit 1' if then == "fail" else f'exec "{llama_server}" "$@"'
    wrapper.write_text(
        "#!/bin/sh\n"
        f'case "$*" in *{slow_model}*) sleep {seconds} ;; esac\n'
        f'case "$*" in *{slow_model}*) {after} ;; esac\n'
        f'exec "{llama_server}" "$@"\n')
    os.chmod(wrapper, 0o755)
    return wrapper


def request_lines(proxy, model_id):
    return [line for line in proxy.log().splitlines() if " request " in line and f" model={model_id} " in line]


def read_stream(connection, response):
    """The raw body pieces of a chunked response, each with the time it arrived."""
    return [(time.monotonic(), piece) for piece in connection.body_pieces(response, "POST")]


def streaming_request(port, body):
    connection = RawConnection.tcp(port, timeout=120)
    connection.send(encode_request("POST", "/v1/chat/completions", json.dumps({**body, "stream": True}).encode()))
    return connection, connection.read_head()


def test_comments_arrive_before_the_first_chunk_and_the_stream_is_whole(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), loading_comment_seconds=0.5,
                        llama_server=slow_llama_server(tmp_path, llama_server, "tiny-b.gguf", 3))
    started = time.monotonic()
    connection, response = streaming_request(proxy.port, chat_body("tiny-b", max_tokens=6))
    with connection:
        head_after = time.monotonic() - started
        assert response.status == 200
        assert response.header("Content-Type") == "text/event-stream"
        assert response.header("Transfer-Encoding") == "chunked"
        body = b"".join(piece for _, piece in read_stream(connection, response)).decode()
    assert head_after < 2.5  # the head came while the model was still loading (a 3 s sleep)
    lines = [line for line in body.split("\n") if line]
    comments = [line for line in lines if line.startswith(":")]
    data = [line for line in lines if line.startswith("data:")]
    assert len(comments) >= 3, body[:500]
    assert all(line.startswith(": loading tiny-b ") and line.endswith(" s") for line in comments), comments
    assert lines.index(data[0]) > lines.index(comments[-1])  # every comment before the first chunk
    assert data[-1] == "data: [DONE]"
    chunks = [json.loads(line[5:]) for line in data[:-1]]
    assert all(chunk["object"] == "chat.completion.chunk" for chunk in chunks)
    assert any(chunk["choices"] and chunk["choices"][0]["finish_reason"] == "length" for chunk in chunks)
    assert "load model=tiny-b" in proxy.wait_for_log("load model=tiny-b")
    # Once loaded, a stream gets no comment, and a plain request is unchanged.
    connection, response = streaming_request(proxy.port, chat_body("tiny-b", max_tokens=4))
    with connection:
        body = b"".join(piece for _, piece in read_stream(connection, response)).decode()
    assert body.startswith("data: {"), body[:200]


def test_a_plain_request_waiting_for_a_load_is_unchanged(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-b",), loading_comment_seconds=0.5,
                        llama_server=slow_llama_server(tmp_path, llama_server, "tiny-b.gguf", 2))
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-b"), timeout=60)
    assert response.status == 200
    assert response.header("Content-Type").startswith("application/json")
    assert response.header("Content-Length") is not None
    assert response.json()["object"] == "chat.completion"


def test_the_openai_client_reads_a_stream_that_began_with_comments(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-b",), loading_comment_seconds=0.5,
                        llama_server=slow_llama_server(tmp_path, llama_server, "tiny-b.gguf", 2))
    with openai.OpenAI(base_url=f"{proxy.base_url}/v1", api_key="x", max_retries=0, timeout=60) as client:
        chunks = list(client.chat.completions.create(
            model="tiny-b", messages=[{"role": "user", "content": "hi"}], max_tokens=8, stream=True))
    assert len(chunks) > 2
    assert any(chunk.choices and chunk.choices[0].finish_reason == "length" for chunk in chunks)
    assert any(chunk.choices and chunk.choices[0].delta.content for chunk in chunks)


def test_send_loading_state_shows_the_load_as_reasoning(start_proxy, tmp_path, llama_server):
    def configure(proxy):
        proxy.config["models"] = {"thinker": {"path": str(proxy.models_dir / "tiny-b.gguf"), "send_loading_state": True}}

    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), loading_comment_seconds=0.5, before_start=configure,
                        llama_server=slow_llama_server(tmp_path, llama_server, "tiny-b.gguf", 2))
    with openai.OpenAI(base_url=f"{proxy.base_url}/v1", api_key="x", max_retries=0, timeout=60) as client:
        chunks = list(client.chat.completions.create(
            model="thinker", messages=[{"role": "user", "content": "hi"}], max_tokens=8, stream=True))
    reasoning = [(chunk.choices[0].delta.model_extra or {}).get("reasoning_content") for chunk in chunks if chunk.choices]
    progress = [text for text in reasoning if text]
    assert len(progress) >= 3, reasoning
    assert progress[0].startswith("loading thinker ") and progress[0].endswith(" s\n"), progress
    assert any(text.startswith("thinker ready after ") for text in progress), progress
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[0].model == "thinker"
    assert any(chunk.choices and chunk.choices[0].delta.content for chunk in chunks)
    assert any(chunk.choices and chunk.choices[0].finish_reason == "length" for chunk in chunks)
    # The reasoning form is only for chat completions: other streams get comments. tiny-a takes
    # the one place (max_loaded 1), so thinker must load again.
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a")).status == 200
    connection = RawConnection.tcp(proxy.port, timeout=60)
    with connection:
        connection.send(encode_request("POST", "/v1/completions", json.dumps(
            {"model": "thinker", "prompt": "hi", "max_tokens": 4, "stream": True}).encode()))
        response = connection.read_head()
        assert response.status == 200
        body = b"".join(connection.body_pieces(response, "POST")).decode()
    # tiny-a is evicted first, so the first comment may still wait for that room.
    assert re.match(r": (loading|waiting for room to load) thinker \d+ s\n\n", body), body[:200]
    assert "reasoning_content" not in body
    assert body.rstrip().endswith("data: [DONE]")


def test_a_failed_load_ends_the_stream_with_an_error_event(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-b",), loading_comment_seconds=0.5,
                        llama_server=slow_llama_server(tmp_path, llama_server, "tiny-b.gguf", 2, then="fail"))
    connection, response = streaming_request(proxy.port, chat_body("tiny-b"))
    with connection:
        assert response.status == 200
        events = list(sse_events(connection, response))
    assert len(events) == 1, events
    error = json.loads(events[0])["error"]
    assert error["code"] == "model_start_failed"
    assert error["type"] == "server_error"
    assert "wrapper: failing on purpose" in error["message"]
    wait_until(lambda: any("status=503" in line and "model=tiny-b" in line for line in proxy.log().splitlines()),
               message="the request logged with the load's 503")
    # The openai client raises it as an API error.
    with openai.OpenAI(base_url=f"{proxy.base_url}/v1", api_key="x", max_retries=0, timeout=60) as client:
        try:
            list(client.chat.completions.create(
                model="tiny-b", messages=[{"role": "user", "content": "hi"}], max_tokens=8, stream=True))
        except openai.APIError as raised:
            assert "failing on purpose" in str(raised) or "started again" in str(raised)
        else:
            raise AssertionError("the stream of a failed load did not raise")


def test_an_upstream_error_after_the_comments_is_the_closing_event(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-b",), loading_comment_seconds=0.5,
                        llama_server=slow_llama_server(tmp_path, llama_server, "tiny-b.gguf", 2))
    connection, response = streaming_request(proxy.port, {"model": "tiny-b", "messages": "not a list"})
    with connection:
        assert response.status == 200
        body = b"".join(connection.body_pieces(response, "POST")).decode()
    assert body.startswith(": loading tiny-b "), body[:200]
    events = [line for line in body.split("\n") if line.startswith("data:")]
    assert len(events) == 1, body
    assert "error" in json.loads(events[0][5:])
    wait_until(lambda: request_lines(proxy, "tiny-b"), message="the request logged")
    assert " status=200 " not in request_lines(proxy, "tiny-b")[-1]  # the upstream's own status


def test_a_client_that_leaves_while_comments_flow_stops_the_load(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-b",), loading_comment_seconds=0.3,
                        llama_server=slow_llama_server(tmp_path, llama_server, "tiny-b.gguf", 30))
    connection, response = streaming_request(proxy.port, chat_body("tiny-b"))
    try:
        assert response.status == 200
        pieces = connection.body_pieces(response, "POST")
        assert next(pieces).startswith(b": loading tiny-b ")
        assert next(pieces).startswith(b": loading tiny-b ")
        wait_until(lambda: proxy.child_for("tiny-b.gguf") is not None, message="tiny-b's child spawned")
        child = proxy.child_for("tiny-b.gguf")
    finally:
        connection.close()
    wait_until(lambda: not is_alive(child.pid), timeout=10, message="the abandoned load's child to be stopped")
    log = proxy.wait_for_log("load abandoned model=tiny-b", "reason=abandoned")
    wait_until(lambda: any("status=499" in line and "model=tiny-b" in line for line in proxy.log().splitlines()),
               message="the request logged as 499")
    assert request(proxy.port, "GET", "/v1/models/tiny-b").json()["queued"] == 0
    assert "Z load model=tiny-b " not in log  # never became ready
    assert re.search(r"status=499 ms=\S+ bytes=[1-9]", log)  # the comments it was sent are counted
