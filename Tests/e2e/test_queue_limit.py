"""queue_max: a model's queue holds at most that many waiting requests; one more is refused at
once with 429 rate_limit_exceeded and Retry-After, while the queued ones are served."""
import time
from concurrent.futures import ThreadPoolExecutor

import openai
import pytest

from http_client import chat_body, request
from processes import wait_until


def model_entry(proxy, model_id) -> dict:
    response = request(proxy.port, "GET", f"/v1/models/{model_id}")
    assert response.status == 200, response.body
    return response.json()


SLOW = chat_body("tiny-a", max_tokens=2000, ignore_eos=True)  # a few seconds each for the tiny model


@pytest.mark.parametrize("per_model", [False, True])
def test_a_full_queue_answers_429_with_retry_after(start_proxy, per_model):
    """-np 1: two requests go through to llama-server, two wait in the queue (queue_max 2); every
    further one is refused at once, and the four accepted ones are all served."""
    if per_model:
        # The model's own queue_max wins over the top-level one (0: no limit).
        def configure(proxy):
            proxy.config["models"] = {"tiny-a": {"path": str(proxy.models_dir / "tiny-a.gguf"), "queue_max": 2}}
        proxy = start_proxy(model_files=("tiny-a",), default_args=["--threads", "1", "-np", "1"], queue_max=0,
                            before_start=configure)
    else:
        proxy = start_proxy(model_files=("tiny-a",), default_args=["--threads", "1", "-np", "1"], queue_max=2)
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a")).status == 200  # loaded

    with ThreadPoolExecutor(max_workers=4) as pool:
        accepted = [pool.submit(request, proxy.port, "POST", "/v1/chat/completions", SLOW, timeout=300) for _ in range(4)]
        wait_until(lambda: (model_entry(proxy, "tiny-a")["in_flight"], model_entry(proxy, "tiny-a")["queued"]) == (2, 2),
                   timeout=30, message="two in flight and two queued")
        refused = []
        for _ in range(3):
            started = time.monotonic()
            response = request(proxy.port, "POST", "/v1/chat/completions", SLOW)
            refused.append((response, time.monotonic() - started))
        with openai.OpenAI(base_url=f"{proxy.base_url}/v1", api_key="x", max_retries=0, timeout=30) as client:
            with pytest.raises(openai.RateLimitError) as raised:
                client.chat.completions.create(model="tiny-a", messages=[{"role": "user", "content": "hi"}], max_tokens=4)
            assert raised.value.code == "rate_limit_exceeded"
        assert (model_entry(proxy, "tiny-a")["in_flight"], model_entry(proxy, "tiny-a")["queued"]) == (2, 2)
        results = [future.result() for future in accepted]

    for response, _ in refused:
        assert response.status == 429, response.body[:300]
        assert response.header("Retry-After") == "1"
        error = response.json()["error"]
        assert error["type"] == "requests"
        assert error["code"] == "rate_limit_exceeded"
        assert error["message"] == "the queue of model 'tiny-a' is full: 2 requests wait for it (queue_max 2); retry in 1 s"
    assert [response.status for response in results] == [200] * 4, [r.body[:200] for r in results]
    wait_until(lambda: proxy.log().count("status=429") >= 4, message="the refusals logged")  # the log trails the answers
    wait_until(lambda: model_entry(proxy, "tiny-a")["in_flight"] == 0, message="in_flight back to 0")
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a")).status == 200

