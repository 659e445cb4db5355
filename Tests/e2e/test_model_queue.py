"""One queue per model in the proxy: a bounded number of requests reach llama-server at once,
the rest wait in the model's queue (visible in /v1/models) for at most queue_seconds; a client
that leaves while it waits leaves the queue, and a load nobody waits for any more is stopped."""
import json
import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

from http_client import RawConnection, chat_body, encode_request, request
from processes import is_alive, wait_until


def model_entry(proxy, model_id) -> dict:
    response = request(proxy.port, "GET", f"/v1/models/{model_id}")
    assert response.status == 200, response.body
    return response.json()


def request_lines(proxy, model_id):
    return [line for line in proxy.log().splitlines() if " request " in line and f" model={model_id} " in line]


def test_requests_beyond_the_slots_wait_in_the_queue_and_get_model_busy(start_proxy):
    """-np 1: two requests go through (one generating, one queued inside llama-server); the other
    four wait in the proxy, and each takes seconds, so none of them gets a slot within 1 s."""
    proxy = start_proxy(model_files=("tiny-a",), default_args=["--threads", "1", "-np", "1"],
                        timeouts={"load_seconds": 60, "queue_seconds": 1, "shutdown_grace_seconds": 30})
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a")).status == 200  # loaded
    body = chat_body("tiny-a", max_tokens=3000, ignore_eos=True)  # a few seconds each for the tiny model

    def ask(_):
        started = time.monotonic()
        response = request(proxy.port, "POST", "/v1/chat/completions", body, timeout=120)
        return response, time.monotonic() - started

    seen = []
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(ask, index) for index in range(6)]
        deadline = time.monotonic() + 30
        while not all(future.done() for future in futures) and time.monotonic() < deadline:
            entry = model_entry(proxy, "tiny-a")
            seen.append((entry["in_flight"], entry["queued"]))
            time.sleep(0.05)
        results = [future.result() for future in futures]

    statuses = sorted(response.status for response, _ in results)
    assert statuses == [200, 200, 503, 503, 503, 503], [(r.status, r.body[:200]) for r, _ in results]
    for response, waited in results:
        if response.status == 503:
            error = response.json()["error"]
            assert error["code"] == "model_busy"
            assert error["type"] == "server_error"
            assert "1 s" in error["message"]
            assert waited >= 0.95  # never before queue_seconds
    # While they waited, the listing showed two in flight and the rest queued.
    assert (2, 4) in seen, seen
    assert model_entry(proxy, "tiny-a")["queued"] == 0
    wait_until(lambda: model_entry(proxy, "tiny-a")["in_flight"] == 0, message="in_flight back to 0")


def slow_starting_llama_server(tmp_path, llama_server, slow_model: str):
    """A llama-server whose start takes 30 s for one model: it sleeps before it execs."""
    wrapper = tmp_path / "slow-llama-server"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'case "$*" in *{slow_model}*) sleep 30 ;; esac\n'
        f'exec "{llama_server}" "$@"\n')
    os.chmod(wrapper, 0o755)
    return wrapper


def test_a_client_that_leaves_during_a_slow_load_stops_it(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2,
                        llama_server=slow_starting_llama_server(tmp_path, llama_server, "tiny-b.gguf"))
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a")).status == 200

    connection = RawConnection.tcp(proxy.port)
    try:
        connection.send(encode_request("POST", "/v1/chat/completions", json.dumps(chat_body("tiny-b")).encode()))
        wait_until(lambda: model_entry(proxy, "tiny-b")["state"] == "loading", message="tiny-b loading")
        entry = model_entry(proxy, "tiny-b")
        assert (entry["queued"], entry["in_flight"]) == (1, 0)
        wait_until(lambda: proxy.child_for("tiny-b.gguf") is not None, message="tiny-b's child spawned")
        child = proxy.child_for("tiny-b.gguf")
        time.sleep(0.5)
    finally:
        connection.close()  # the impatient client

    wait_until(lambda: not is_alive(child.pid), timeout=10, message="the abandoned load's child to be stopped")
    wait_until(lambda: model_entry(proxy, "tiny-b")["state"] == "unloaded", message="tiny-b unloaded")
    assert model_entry(proxy, "tiny-b")["queued"] == 0
    proxy.wait_for_log("load abandoned model=tiny-b", f"unload model=tiny-b pid={child.pid} reason=abandoned")
    wait_until(lambda: any("status=499" in line for line in request_lines(proxy, "tiny-b")),
               message="the request logged as 499")
    assert not any("status=200" in line for line in request_lines(proxy, "tiny-b"))
    # The other model was not touched.
    assert model_entry(proxy, "tiny-a")["state"] == "ready"
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a")).status == 200
    assert proxy.child_for("tiny-b.gguf") is None


def test_a_model_that_keeps_failing_is_refused_with_retry_after(start_proxy):
    def write_broken_model(proxy):
        (proxy.models_dir / "broken.gguf").write_bytes(b"GGUF\x03\x00\x00\x00" + b"\xde\xad\xbe\xef" * 64)

    proxy = start_proxy(before_start=write_broken_model)
    first = request(proxy.port, "POST", "/v1/chat/completions", chat_body("broken"))
    assert first.status == 503 and first.json()["error"]["code"] == "model_start_failed"
    second = request(proxy.port, "POST", "/v1/chat/completions", chat_body("broken"))  # one failure: tried again
    assert second.status == 503 and second.json()["error"]["code"] == "model_start_failed"
    assert second.header("Retry-After") is None
    # The log is written by its own thread: it may trail the answer by a moment.
    wait_until(lambda: proxy.log().count("load failed model=broken") == 2, message="the second load's failure in the log")
    third = request(proxy.port, "POST", "/v1/chat/completions", chat_body("broken"))
    assert third.status == 503
    error = third.json()["error"]
    assert error["code"] == "model_start_failed"
    assert "(2 times in a row); it will be started again in 1 s" in error["message"]
    assert "failed to load model" in error["message"]  # the last lines of its log
    assert third.header("Retry-After") == "1"
    wait_until(lambda: proxy.log().count("model=broken status=503") == 3, message="the third request in the log")
    assert proxy.log().count("load failed model=broken") == 2  # the third was not started
    time.sleep(1.1)
    fourth = request(proxy.port, "POST", "/v1/chat/completions", chat_body("broken"))  # tried again
    assert fourth.status == 503 and fourth.json()["error"]["code"] == "model_start_failed"
    wait_until(lambda: proxy.log().count("load failed model=broken") == 3, message="the fourth load's failure in the log")
    fifth = request(proxy.port, "POST", "/v1/chat/completions", chat_body("broken"))
    assert fifth.status == 503 and fifth.header("Retry-After") == "2"  # the backoff doubled
    assert "(3 times in a row)" in fifth.json()["error"]["message"]
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a")).status == 200


def test_sigterm_answers_queued_requests_at_once(start_proxy, tmp_path, llama_server):
    """A request waiting for a load is not in flight: a graceful stop does not wait for it."""
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"),
                        llama_server=slow_starting_llama_server(tmp_path, llama_server, "tiny-b.gguf"))
    with RawConnection.tcp(proxy.port) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions", json.dumps(chat_body("tiny-b")).encode()))
        wait_until(lambda: model_entry(proxy, "tiny-b")["queued"] == 1, message="tiny-b's request queued")
        proxy.signal(signal.SIGTERM)
        response = connection.read_response("POST")
        assert response.status == 503
        assert response.json()["error"]["code"] == "shutting_down"
    assert proxy.wait_exit(timeout=15) == 0  # well before the 30 s load or shutdown_grace_seconds
