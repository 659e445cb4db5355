"""Many requests at once, to two models, with one or two allowed to be loaded."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from http_client import chat_body, request


@pytest.mark.parametrize("max_loaded", [1, 2])
def test_concurrent_requests_to_two_models_all_succeed(start_proxy, max_loaded):
    proxy = start_proxy(max_loaded=max_loaded)
    models = ["tiny-a", "tiny-b"] * 8

    def ask(model):
        response = request(proxy.port, "POST", "/v1/chat/completions", chat_body(model, max_tokens=16))
        return model, response.status, response.body

    with ThreadPoolExecutor(max_workers=len(models)) as pool:
        results = list(pool.map(ask, models))
    failures = [(model, status, body[:200]) for model, status, body in results if status != 200]
    assert not failures
    # Each answer came from the model that was asked for: llama-server names its model file.
    for model, _, body in results:
        assert f"{model}.gguf".encode() in body or model.encode() in body
    assert len(proxy.children()) <= max_loaded


def test_concurrent_streams_to_one_model(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",))

    def ask(_):
        response = request(proxy.port, "POST", "/v1/chat/completions",
                           chat_body("tiny-a", max_tokens=24, stream=True))
        return response.status, response.body

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(ask, range(12)))
    assert all(status == 200 for status, _ in results)
    assert all(body.rstrip().endswith(b"data: [DONE]") for _, body in results)


def test_streams_queued_behind_streams_are_not_sent_down_closed_connections(start_proxy):
    """llama-server closes its connection after every streamed answer (though it says keep-alive);
    a request waiting for that upstream connection must not get a 502 for it."""
    proxy = start_proxy(model_files=("tiny-a",))

    def ask(index):
        stream = index % 3 != 0
        response = request(proxy.port, "POST", "/v1/chat/completions",
                           chat_body("tiny-a", max_tokens=4, stream=stream))
        return response.status, response.body[:200]

    with ThreadPoolExecutor(max_workers=24) as pool:
        for _ in range(4):
            failures = [result for result in pool.map(ask, range(48)) if result[0] != 200]
            assert not failures
