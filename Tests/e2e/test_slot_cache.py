"""The prompt cache across swaps: an evicted llama-server's slots are saved, and restored into
the next child of the same model file, arguments and binary, so its next message finds its
prefix in the cache (timings.cache_n)."""
import os
import tempfile
from pathlib import Path

from http_client import request
from processes import wait_until

PROMPT = "The quick brown fox jumps over the lazy dog. " * 12


def complete(proxy, model, prompt):
    body = {"model": model, "prompt": prompt, "max_tokens": 2, "temperature": 0, "cache_prompt": True}
    response = request(proxy.port, "POST", "/v1/completions", body, timeout=60)
    assert response.status == 200, response.body
    return response.json()["timings"]


def swap_away_and_back(proxy):
    first = complete(proxy, "tiny-a", PROMPT)
    assert first["prompt_n"] > 50, first
    complete(proxy, "tiny-b", "Hello")  # max_loaded 1: evicts tiny-a, which saves its slot first
    wait_until(lambda: proxy.child_for("tiny-a.gguf") is None, message="tiny-a's llama-server to exit")
    return first, complete(proxy, "tiny-a", PROMPT + "And then?")


def test_swap_restores_the_conversation_prefix(start_proxy):
    proxy = start_proxy(max_loaded=1)
    first, second = swap_away_and_back(proxy)
    log = proxy.wait_for_log("slot cache saved model=tiny-a", "slot cache restored model=tiny-a pid=")
    assert "restored model=tiny-a" in log and "1 of 1 slot(s)" in log, log[-3000:]
    # The whole first prompt (less the token llama-server always evaluates again) came from the cache.
    assert second["cache_n"] >= first["prompt_n"] - 2, (first, second)
    runtime = Path(tempfile.gettempdir()) / f"llama-smart-proxy-{proxy.pid}"
    # One folder per key: tiny-a's conversation and tiny-b's message.
    assert len(list((runtime / "slot-cache").glob("*/slot*.bin"))) == 2
    proxy.stop()
    assert not runtime.exists(), "the runtime folder, slot cache included, is removed at exit"


def test_changed_model_file_gets_nothing_restored(start_proxy):
    proxy = start_proxy(max_loaded=1)
    complete(proxy, "tiny-a", PROMPT)
    complete(proxy, "tiny-b", "Hello")
    wait_until(lambda: proxy.child_for("tiny-a.gguf") is None, message="tiny-a's llama-server to exit")
    proxy.wait_for_log("slot cache saved model=tiny-a")
    model = proxy.models_dir / "tiny-a.gguf"
    stat = model.stat()
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # a new mtime: another file
    second = complete(proxy, "tiny-a", PROMPT + "And then?")
    assert second["cache_n"] == 0, second
    assert "slot cache restored model=tiny-a" not in proxy.log()


def test_cache_off_saves_nothing(start_proxy):
    proxy = start_proxy(max_loaded=1, limits={"slot_cache_mib": 0})
    first, second = swap_away_and_back(proxy)
    assert second["cache_n"] == 0, second
    assert "slot cache" not in proxy.log()
