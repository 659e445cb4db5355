"""Model lifetimes with real llama-server: idle TTL, keep_alive, preload, pinning, groups, health
checks that restart a wedged child, and the SIGTERM-then-SIGKILL stop grace."""
import os
import re
import signal
import time

import openai

from http_client import chat_body, request
from processes import is_alive, wait_until


def models_by_id(proxy) -> dict:
    response = request(proxy.port, "GET", "/v1/models")
    assert response.status == 200, response.body
    return {model["id"]: model for model in response.json()["data"]}


def states(proxy) -> dict:
    return {model_id: model["state"] for model_id, model in models_by_id(proxy).items()}


def chat(proxy, model, **extra):
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body(model, max_tokens=2, **extra), timeout=120)
    assert response.status == 200, response.body
    return response


def loaded_pid(proxy, model_id) -> int:
    """The pid of the model's latest load, from the proxy's log (no race with a quick unload)."""
    found = re.findall(rf"load model={re.escape(model_id)} pid=(\d+) ready", proxy.wait_for_log(f"load model={model_id} pid="))
    return int(found[-1])


def pid_of(proxy, model_file):
    child = proxy.child_for(model_file)
    assert child is not None, f"no llama-server for {model_file}"
    return child.pid


def test_an_idle_model_is_unloaded_when_its_ttl_runs_out(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2, ttl_seconds=1,
                        models={"long-b": {"path": "models/tiny-b.gguf", "ttl_seconds": 3600}})
    chat(proxy, "long-b")
    chat(proxy, "tiny-a")
    pid = loaded_pid(proxy, "tiny-a")
    listing = models_by_id(proxy)
    assert listing["long-b"]["ttl_seconds"] == 3600
    assert listing["long-b"]["expires_in_seconds"] > 3000
    assert isinstance(listing["long-b"]["expires_at"], int)
    assert listing["tiny-a"]["ttl_seconds"] == 1
    wait_until(lambda: states(proxy)["tiny-a"] == "unloaded", timeout=30, message="tiny-a to be unloaded by its TTL")
    proxy.wait_for_log(f"unload model=tiny-a pid={pid} reason=ttl")
    wait_until(lambda: not is_alive(pid), message="tiny-a's llama-server to exit")
    assert states(proxy)["long-b"] == "ready"  # its own TTL is an hour
    assert models_by_id(proxy)["tiny-a"]["expires_in_seconds"] is None
    chat(proxy, "tiny-a")  # and the next request simply loads it again


def test_keep_alive_zero_unloads_right_after_the_request_and_a_duration_sets_the_expiry(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",))
    chat(proxy, "tiny-a", keep_alive="5m")  # llama-server itself ignores the member
    expires = models_by_id(proxy)["tiny-a"]["expires_in_seconds"]
    assert 200 < expires <= 300, expires
    pid = pid_of(proxy, "tiny-a.gguf")
    chat(proxy, "tiny-a", keep_alive=0)
    proxy.wait_for_log(f"unload model=tiny-a pid={pid} reason=ttl")
    wait_until(lambda: not is_alive(pid), message="tiny-a's llama-server to exit")
    chat(proxy, "tiny-a", keep_alive=-1)
    assert models_by_id(proxy)["tiny-a"]["expires_in_seconds"] is None  # kept for ever


def test_an_invalid_keep_alive_is_refused_before_any_load(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",))
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a", keep_alive="soon"))
    assert response.status == 400
    assert response.json()["error"]["code"] == "invalid_keep_alive"
    assert proxy.children() == []


def test_preload_starts_models_at_start_up_to_max_loaded(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=1, preload=["tiny-a", "tiny-b"])
    wait_until(lambda: states(proxy)["tiny-a"] == "ready", timeout=60, message="tiny-a to be preloaded")
    proxy.wait_for_log("preload model=tiny-a", "preload skipped model=tiny-b: max_loaded (1) models are loaded")
    assert states(proxy)["tiny-b"] == "unloaded"
    pid = pid_of(proxy, "tiny-a.gguf")
    chat(proxy, "tiny-a")
    assert pid_of(proxy, "tiny-a.gguf") == pid  # served by the preloaded child
    assert proxy.log().count("load model=tiny-a ") == 1


def test_a_preload_that_cannot_start_is_logged_and_the_proxy_serves_on(start_proxy, tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a gguf file")
    proxy = start_proxy(model_files=("tiny-a",), preload=["broken"], models={"broken": {"path": str(broken)}})
    proxy.wait_for_log("load failed model=broken", timeout=60)
    chat(proxy, "tiny-a")


def test_a_pinned_model_survives_pressure(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b", "tiny-c"), max_loaded=2,
                        models={"pinned-a": {"path": "models/tiny-a.gguf", "pinned": True}})
    chat(proxy, "pinned-a")
    pinned = pid_of(proxy, "tiny-a.gguf")
    for model in ("tiny-b", "tiny-c", "tiny-b", "tiny-c"):
        chat(proxy, model)  # each evicts the other unpinned one, never the pinned one
        assert states(proxy)["pinned-a"] == "ready"
    assert pid_of(proxy, "tiny-a.gguf") == pinned
    assert models_by_id(proxy)["pinned-a"]["pinned"] is True
    assert f"pid={pinned} reason=" not in proxy.wait_for_log("reason=evicted")


def test_groups_exclusive_and_non_swapping(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b", "tiny-c"), max_loaded=3, groups={
        "pair": {"members": ["tiny-a", "tiny-b"], "swap": False},
        "solo": {"members": ["tiny-c"]},
    })
    chat(proxy, "tiny-a")
    chat(proxy, "tiny-b")
    assert states(proxy) == {"tiny-a": "ready", "tiny-b": "ready", "tiny-c": "unloaded"}  # a pair runs together
    pids = {name: pid_of(proxy, f"{name}.gguf") for name in ("tiny-a", "tiny-b")}
    chat(proxy, "tiny-c")  # exclusive: the pair goes first
    assert states(proxy) == {"tiny-a": "unloaded", "tiny-b": "unloaded", "tiny-c": "ready"}
    log = proxy.wait_for_log(f"unload model=tiny-a pid={pids['tiny-a']} reason=group",
                             f"unload model=tiny-b pid={pids['tiny-b']} reason=group")
    assert "group solo: model=tiny-c unloads model=tiny-a" in log
    # tiny-c was started only once both were gone.
    assert log.index(f"pid={pids['tiny-b']} reason=group") < log.index("load model=tiny-c ")
    assert models_by_id(proxy)["tiny-c"]["group"] == "solo"
    chat(proxy, "tiny-a")  # the pair is exclusive too (the default)
    assert states(proxy) == {"tiny-a": "ready", "tiny-b": "unloaded", "tiny-c": "unloaded"}


def test_a_wedged_child_is_restarted_by_the_health_check(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",),
                        timeouts={"load_seconds": 60, "queue_seconds": 60, "health_check_seconds": 0.5,
                                  "health_check_timeout_seconds": 0.5},
                        limits={"health_check_failures": 2})
    chat(proxy, "tiny-a")
    pid = pid_of(proxy, "tiny-a.gguf")
    os.kill(pid, signal.SIGSTOP)  # it still accepts connections (the kernel does) but never answers
    try:
        proxy.wait_for_log(f"model=tiny-a pid={pid} failed 2 health checks in a row: killing it",
                           f"unload model=tiny-a pid={pid} reason=unhealthy", timeout=60)
    finally:
        if is_alive(pid):
            os.kill(pid, signal.SIGCONT)
    wait_until(lambda: not is_alive(pid), message="the wedged llama-server to be gone")
    chat(proxy, "tiny-a")
    assert pid_of(proxy, "tiny-a.gguf") != pid


def test_a_busy_child_is_never_killed_by_the_health_check(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",),
                        timeouts={"load_seconds": 60, "queue_seconds": 60, "health_check_seconds": 0.2,
                                  "health_check_timeout_seconds": 1},
                        limits={"health_check_failures": 1})
    chat(proxy, "tiny-a")
    pid = pid_of(proxy, "tiny-a.gguf")
    client = openai.OpenAI(base_url=proxy.base_url + "/v1", api_key="unused", max_retries=0, timeout=120)
    # Long enough to be still generating (in flight) for the whole pause below.
    stream = client.chat.completions.create(model="tiny-a", messages=[{"role": "user", "content": "hi"}],
                                            max_tokens=15000, stream=True, extra_body={"ignore_eos": True})
    chunks = iter(stream)
    next(chunks)
    assert models_by_id(proxy)["tiny-a"]["in_flight"] == 1
    # Mid-generation it answers nothing for a while (as a slow, busy llama-server may): checks come
    # due meanwhile, but a child with a request in flight is never probed.
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(2)
    finally:
        os.kill(pid, signal.SIGCONT)
    for _ in range(20):
        assert next(chunks).choices is not None  # the generation carries on
    assert models_by_id(proxy)["tiny-a"]["in_flight"] == 1
    stream.close()
    assert pid_of(proxy, "tiny-a.gguf") == pid
    assert "reason=unhealthy" not in proxy.log()
    assert "health check failed" not in proxy.log()


def test_a_child_that_ignores_sigterm_is_killed_after_stop_seconds(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=1,
                        timeouts={"load_seconds": 60, "queue_seconds": 60, "stop_seconds": 1,
                                  "health_check_seconds": 0},
                        limits={"slot_cache_mib": 0})  # a stopped child cannot save its slots either
    chat(proxy, "tiny-a")
    pid = pid_of(proxy, "tiny-a.gguf")
    os.kill(pid, signal.SIGSTOP)  # a stopped process leaves SIGTERM pending; only SIGKILL ends it
    try:
        chat(proxy, "tiny-b")  # evicts tiny-a
    finally:
        if is_alive(pid):
            os.kill(pid, signal.SIGCONT)
    log = proxy.wait_for_log(f"unload model=tiny-a pid={pid} reason=evicted after ")
    waited = int(re.search(rf"unload model=tiny-a pid={pid} reason=evicted after (\d+) ms", log).group(1))
    assert waited >= 1000, log  # SIGKILL came only once the grace was over
