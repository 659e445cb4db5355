"""Faults of a real llama-server: the client gets a clear end, and the proxy recovers."""
import os
import signal

import openai
import pytest

from http_client import chat_body, request


def test_llama_server_killed_mid_stream_ends_the_stream_with_an_api_error(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",))
    client = openai.OpenAI(base_url=proxy.base_url + "/v1", api_key="unused", max_retries=0, timeout=60)
    stream = client.chat.completions.create(model="tiny-a", messages=[{"role": "user", "content": "hi"}],
                                            max_tokens=15000, stream=True, extra_body={"ignore_eos": True})
    chunks = iter(stream)
    for _ in range(3):
        assert next(chunks).choices is not None
    child = proxy.child_for("tiny-a.gguf")
    os.kill(child.pid, signal.SIGKILL)
    with pytest.raises(openai.APIError) as raised:
        for _ in chunks:
            pass
    assert "upstream closed the connection" in str(raised.value), raised.value
    # The next request starts the model again at once: one crash costs no restart backoff, and
    # a request that races the exit (the child's socket refuses it before the proxy has reaped
    # the child) has the dead child killed and is served by a fresh start, not answered 502.
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a", max_tokens=2)).status == 200
