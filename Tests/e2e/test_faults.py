"""Faults of a real llama-server: the client gets a clear end, and the proxy recovers."""
import json
import os
import signal
import sys
import time
from pathlib import Path

import openai
import pytest

import fault_upstream
from http_client import chat_body, request
from resources import Footprint, assert_settles_back


def test_llama_server_killed_mid_stream_ends_the_stream_with_an_api_error(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",))
    client = openai.OpenAI(base_url=proxy.base_url + "/v1", api_key="unused", max_retries=0, timeout=60)
    stream = client.chat.completions.create(model="tiny-a", messages=[{"role": "user", "content": "hi"}],
                                            max_tokens=15000, stream=True, extra_body={"ignore_eos": True})
    chunks = iter(stream)
    for _ in range(3):
        assert next(chunks).choices is not None
    os.kill(proxy.child_for("tiny-a.gguf").pid, signal.SIGKILL)
    with pytest.raises(openai.APIError) as raised:
        for _ in chunks:
            pass
    assert "upstream closed the connection" in str(raised.value), raised.value
    # Once the proxy has seen the exit (until then a request meets the dead socket: 502): it died
    # right after it became ready, so the restart backoff answers at once, then the next request
    # after Retry-After starts the model again.
    proxy.wait_for_log("unload model=tiny-a", "reason=exit (killed by signal 9")
    refused = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a", max_tokens=2))
    assert refused.status == 503 and refused.json()["error"]["code"] == "model_start_failed", refused.body
    assert "killed by signal 9" in refused.json()["error"]["message"]
    time.sleep(int(refused.header("Retry-After")) + 0.1)
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a", max_tokens=2)).status == 200


FAULT_UPSTREAM = Path(__file__).with_name("fault_upstream.py")


def faulty_llama_server(tmp_path, llama_server, faulty_model: str, mode: str) -> Path:
    """A llama-server that is fault_upstream.py MODE for one model file and the real one for the others."""
    wrapper = tmp_path / f"{mode}-llama-server"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'case "$*" in *{faulty_model}*) exec "{sys.executable}" "{FAULT_UPSTREAM}" {mode} "$@" ;; esac\n'
        f'exec "{llama_server}" "$@"\n')
    os.chmod(wrapper, 0o755)
    return wrapper


def chat(proxy, model, content="hi"):
    body = {"model": model, "messages": [{"role": "user", "content": content}], "max_tokens": 2}
    return request(proxy.port, "POST", "/v1/chat/completions", json.dumps(body).encode(), timeout=60)


def test_a_llama_server_that_never_becomes_healthy_gets_model_load_timeout(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"),
                        llama_server=faulty_llama_server(tmp_path, llama_server, "tiny-b.gguf", "hang"),
                        timeouts={"load_seconds": 1, "queue_seconds": 60, "shutdown_grace_seconds": 30})
    before = Footprint.of(proxy.pid)
    for attempt in (1, 2):  # the next request tries again: a load timeout is no start failure
        response = chat(proxy, "tiny-b")
        assert response.status == 503, response.body
        error = response.json()["error"]
        assert error["code"] == "model_load_timeout" and error["type"] == "server_error", error
        assert "not ready within 1 s" in error["message"]
        assert "fault_upstream: loading for ever" in error["message"]  # the log tail
        assert_settles_back(proxy.pid, before)  # the hanging child was killed and reaped
        assert proxy.child_for("tiny-b.gguf") is None
        assert proxy.log().count("load failed model=tiny-b") == attempt
    assert chat(proxy, "tiny-a").status == 200


def test_a_llama_server_that_exits_at_start_gets_model_start_failed_then_retry_after(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"),
                        llama_server=faulty_llama_server(tmp_path, llama_server, "tiny-b.gguf", "exit"))
    before = Footprint.of(proxy.pid)
    first = chat(proxy, "tiny-b")
    assert first.status == 503, first.body
    error = first.json()["error"]
    assert error["code"] == "model_start_failed" and error["type"] == "server_error", error
    assert fault_upstream.EXIT_LINE in error["message"]
    assert "status 1" in error["message"] or "code 1" in error["message"], error["message"]
    assert first.header("Retry-After") is None  # it was really tried

    second = chat(proxy, "tiny-b")  # within the 1 s backoff: refused without a start
    assert second.status == 503
    error = second.json()["error"]
    assert error["code"] == "model_start_failed"
    assert "will be started again in 1 s" in error["message"]
    assert fault_upstream.EXIT_LINE in error["message"]
    assert second.header("Retry-After") == "1"
    assert proxy.log().count("load failed model=tiny-b") == 1
    assert_settles_back(proxy.pid, before)
    assert chat(proxy, "tiny-a").status == 200


@pytest.mark.parametrize("kind", sorted(fault_upstream.GARBAGE))
def test_a_llama_server_answering_garbage_gets_upstream_error(start_proxy, tmp_path, llama_server, kind):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2,
                        llama_server=faulty_llama_server(tmp_path, llama_server, "tiny-b.gguf", "garbage"))
    assert chat(proxy, "tiny-a").status == 200
    for _ in range(2):  # the same model again: the proxy does not stick on a broken connection
        response = chat(proxy, "tiny-b", content=f"garbage:{kind}")
        assert response.status == 502, (response.status, response.body)
        error = response.json()["error"]
        assert error["code"] == "upstream_error" and error["type"] == "server_error", error
    # The garbage model stays loaded (its /health is fine); the other model keeps being served.
    assert chat(proxy, "tiny-a").status == 200
    assert request(proxy.port, "GET", "/health").status == 200
