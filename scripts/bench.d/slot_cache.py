#!/usr/bin/env python3
"""Time to the first token of a long conversation's next message after a swap, with and without
the slot cache (limits.slot_cache_mib), and what saving adds to the request that evicts.

Makes a random-weight model big enough that prompt processing shows (8 layers, 512 wide), runs
the proxy with max_loaded 1 and two models, and for each setting: sends a ~2,000-token
conversation to the big model, one message to the small one (the swap), then the conversation's
next message to the big one again. max_tokens 1, so a request's time is its time to first token.

Usage: scripts/bench.d/slot_cache.py  (env: LSP_PROXY_BINARY, LSP_LLAMA_SERVER, LSP_DEMO_MODELS,
LSP_SLOT_BENCH_SIZE=16x1024 for another model size)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests/e2e"))
from http_client import request  # noqa: E402
from processes import wait_until  # noqa: E402
from proxy_process import ProxyProcess, make_config  # noqa: E402

PROXY = Path(os.environ.get("LSP_PROXY_BINARY", REPO / ".build/debug/llama-smart-proxy"))
LLAMA = Path(os.environ.get("LSP_LLAMA_SERVER", REPO / ".deps/llama-server"))
DEMO = Path(os.environ.get("LSP_DEMO_MODELS", REPO / "models"))
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "llama-smart-proxy/bench-models"
# The model's size: LSP_SLOT_BENCH_SIZE=LAYERSxWIDTH (default 8x512, the example).
LAYERS, WIDTH = (int(part) for part in os.environ.get("LSP_SLOT_BENCH_SIZE", "8x512").split("x"))
BIG = CACHE / f"sized-{LAYERS}x{WIDTH}.gguf"


def make_model():
    CACHE.mkdir(parents=True, exist_ok=True)
    python = subprocess.check_output([str(REPO / "scripts/python-env")], text=True).strip() + "/bin/python"
    subprocess.run([python, str(REPO / "scripts/make-sized-model.py"), str(BIG), "--layers", str(LAYERS), "--width", str(WIDTH),
                    "--context", "4096", "--type", "f16"], check=True)


def ask(proxy, model, messages):
    body = {"model": model, "messages": messages, "max_tokens": 1, "temperature": 0}
    started = time.monotonic()
    response = request(proxy.port, "POST", "/v1/chat/completions", body, timeout=600)
    elapsed = time.monotonic() - started
    assert response.status == 200, response.body
    return elapsed, response.json().get("timings", {})


def run(cache_mib: int):
    workdir = Path(tempfile.mkdtemp(prefix="lsp-bench-slots-"))
    try:
        config = make_config(workdir, DEMO, LLAMA, ["tiny-a"], max_loaded=1,
                             limits={"slot_cache_mib": cache_mib}, default_args=["--threads", "2", "-c", "4096", "-np", "1"])
        shutil.copyfile(BIG, Path(config["models_dir"]) / "big.gguf")
        proxy = ProxyProcess(PROXY, workdir, config).start()
        try:
            words = " ".join(f"word{i % 97}" for i in range(285))
            conversation = [{"role": "system", "content": "You are a patient assistant."},
                            {"role": "user", "content": words}]
            cold, first = ask(proxy, "big", conversation)
            conversation += [{"role": "assistant", "content": "ok"}, {"role": "user", "content": "And then?"}]
            swap, _ = ask(proxy, "tiny-a", [{"role": "user", "content": "hello"}])
            wait_until(lambda: proxy.child_for("big.gguf") is None, timeout=60, message="big's child to exit")
            again, second = ask(proxy, "big", conversation)
            saved = re.findall(r"slot cache saved model=big .* (\d+) KiB in (\d+) ms", proxy.log())
            restored = re.findall(r"slot cache restored model=big .* in (\d+) ms", proxy.log())
            loads = re.findall(r"load model=big pid=\d+ ready in (\d+) ms", proxy.log())
            return {"prompt_tokens": first.get("prompt_n"), "cold_s": cold, "evicting_request_s": swap,
                    "next_message_s": again, "next_prompt_n": second.get("prompt_n"), "next_cache_n": second.get("cache_n"),
                    "next_prompt_ms": second.get("prompt_ms"), "saved_kib_ms": saved, "restore_ms": restored, "load_ms": loads}
        finally:
            proxy.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    if not BIG.exists():
        make_model()
    off = run(0)
    on = run(4096)
    for name, result in (("without cache", off), ("with cache", on)):
        print(f"{name}: {result}")
    print(f"next message after a swap: {off['next_message_s']:.3f} s without, {on['next_message_s']:.3f} s with the cache"
          f" ({off['next_message_s'] / on['next_message_s']:.1f}x); evicting request {off['evicting_request_s']:.3f} s"
          f" without, {on['evicting_request_s']:.3f} s with the save; prompt processing of the next message"
          f" {off['next_prompt_ms']:.0f} ms without, {on['next_prompt_ms']:.0f} ms with"
          f" ({off['next_prompt_ms'] / on['next_prompt_ms']:.1f}x)")


if __name__ == "__main__":
    main()
