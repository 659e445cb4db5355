"""GET /metrics against real llama-servers: counters after known traffic, and promtool's check."""
import json
import re
import shutil
import subprocess

import pytest

from http_client import RawConnection, chat_body, encode_request, request, sse_events

ADMIN_KEY = "sk-admin-metrics-5c1e"
CLIENT_KEY = "sk-client-metrics-77aa"
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(proxy, headers=None) -> tuple[str, dict]:
    response = request(proxy.port, "GET", "/metrics", headers=headers)
    assert response.status == 200, response.body
    assert response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8"
    text = response.body.decode()
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not a sample line: {line!r}"
        labels = frozenset(LABEL.findall(match.group(2) or ""))
        samples[(match.group(1), labels)] = float(match.group(3))
    return text, samples


def value(samples, name, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def streamed_chat(proxy, model, max_tokens) -> dict:
    """The last chunk before [DONE] (it carries the timings)."""
    with RawConnection.tcp(proxy.port) as connection:
        body = json.dumps(chat_body(model, max_tokens=max_tokens, stream=True)).encode()
        connection.send(encode_request("POST", "/v1/chat/completions", body))
        response = connection.read_head()
        assert response.status == 200
        events = list(sse_events(connection, response))
    assert events[-1] == b"[DONE]"
    return json.loads(events[-2])


def test_metrics_count_requests_tokens_loads_and_evictions_and_pass_promtool(start_proxy):
    proxy = start_proxy()  # max_loaded 1: tiny-b evicts tiny-a
    chat = "/v1/chat/completions"
    answer = request(proxy.port, "POST", chat, chat_body("tiny-a", max_tokens=6))
    assert answer.status == 200, answer.body
    last_chunk = streamed_chat(proxy, "tiny-a", max_tokens=5)
    assert request(proxy.port, "POST", chat, chat_body("no-such-model")).status == 404
    assert request(proxy.port, "POST", "/v1/completions", {"model": "tiny-b", "prompt": "Once", "max_tokens": 4}).status == 200
    assert request(proxy.port, "GET", "/health").status == 200

    text, samples = scrape(proxy)
    timings = [answer.json()["timings"], last_chunk["timings"]]
    assert value(samples, "llama_smart_proxy_requests_total", model="tiny-a", route=chat, status="200") == 2
    assert value(samples, "llama_smart_proxy_requests_total", model="", route=chat, status="404") == 1
    assert value(samples, "llama_smart_proxy_requests_total", model="tiny-b", route="/v1/completions", status="200") == 1
    # At least ours: the start helper polls /health too.
    assert value(samples, "llama_smart_proxy_requests_total", model="", route="/health", status="200") >= 1
    assert value(samples, "llama_smart_proxy_request_duration_seconds_count", model="tiny-a", route=chat) == 2
    assert value(samples, "llama_smart_proxy_request_duration_seconds_bucket", model="tiny-a", route=chat, le="+Inf") == 2
    # Only the stream has a time to first byte.
    assert value(samples, "llama_smart_proxy_stream_first_byte_seconds_count", model="tiny-a", route=chat) == 1
    first_byte = value(samples, "llama_smart_proxy_stream_first_byte_seconds_sum", model="tiny-a", route=chat)
    assert 0 < first_byte
    # Tokens as llama-server counted them in the answers' timings.
    assert [t["predicted_n"] for t in timings] == [6, 5]
    assert value(samples, "llama_smart_proxy_generated_tokens_total", model="tiny-a") == 11
    assert value(samples, "llama_smart_proxy_prompt_tokens_total", model="tiny-a") == sum(t["prompt_n"] for t in timings)
    assert value(samples, "llama_smart_proxy_generation_tokens_per_second_count", model="tiny-a") == 2
    speed_sum = value(samples, "llama_smart_proxy_generation_tokens_per_second_sum", model="tiny-a")
    assert speed_sum == pytest.approx(sum(t["predicted_per_second"] for t in timings), rel=1e-6)
    assert value(samples, "llama_smart_proxy_generated_tokens_total", model="tiny-b") == 4
    assert value(samples, "llama_smart_proxy_timings_missing_total", model="tiny-a") == 0
    # The pool: one ready load each, tiny-a evicted for tiny-b.
    assert value(samples, "llama_smart_proxy_model_loads_total", model="tiny-a", result="ready") == 1
    assert value(samples, "llama_smart_proxy_model_loads_total", model="tiny-b", result="ready") == 1
    assert value(samples, "llama_smart_proxy_model_load_duration_seconds_count", model="tiny-a") == 1
    assert value(samples, "llama_smart_proxy_model_unloads_total", model="tiny-a", reason="evicted") == 1
    assert value(samples, "llama_smart_proxy_model_state", model="tiny-b", state="ready") == 1
    assert value(samples, "llama_smart_proxy_model_state", model="tiny-a", state="stopped") == 1
    assert value(samples, "llama_smart_proxy_requests_in_flight", model="tiny-b") == 0
    assert value(samples, "llama_smart_proxy_requests_queued", model="tiny-b") == 0
    assert value(samples, "llama_smart_proxy_model_memory_bytes", model="tiny-b") > 0

    # The scrape itself is counted, once it has been answered.
    _, again = scrape(proxy)
    assert value(again, "llama_smart_proxy_requests_total", model="", route="/metrics", status="200") == 1

    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: scripts/install-system-packages prometheus"
    check = subprocess.run([promtool, "check", "metrics"], input=text.encode(), capture_output=True, timeout=60)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
    assert check.stdout.decode().strip() == "" and check.stderr.decode().strip() == "", check.stdout.decode() + check.stderr.decode()


def test_metrics_need_the_admin_key_when_admin_keys_are_set(start_proxy):
    proxy = start_proxy(api_keys=[CLIENT_KEY], admin_api_keys=[ADMIN_KEY])
    assert request(proxy.port, "GET", "/metrics").status == 401
    assert request(proxy.port, "GET", "/metrics", headers=[("Authorization", f"Bearer {CLIENT_KEY}")]).status == 401
    scrape(proxy, headers=[("Authorization", f"Bearer {ADMIN_KEY}")])
