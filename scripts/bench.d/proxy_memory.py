"""The proxy's own memory (VmRSS): right after its first model load (idle), then the peak while
64 streams of 200 tokens run through it."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from http_client import chat_body, request
from processes import rss_kib
from sides import start_proxy, one_token_chat


def measure_memory(args, models: Path, workdir: Path, streams: int = 64) -> dict:
    proxy = start_proxy(args, models, workdir / "memory", 2)
    try:
        one_token_chat(proxy.port, "tiny-a")
        idle = rss_kib(proxy.pid)
        peak = idle
        running = threading.Event()
        running.set()

        def sample():
            nonlocal peak
            while running.is_set():
                peak = max(peak, rss_kib(proxy.pid))
                time.sleep(0.005)

        def stream(_):
            response = request(proxy.port, "POST", "/v1/chat/completions",
                               chat_body("tiny-a", max_tokens=200, stream=True), timeout=120)
            return response.status == 200 and response.body.rstrip().endswith(b"data: [DONE]")

        sampler = threading.Thread(target=sample)
        sampler.start()
        with ThreadPoolExecutor(max_workers=streams) as pool:
            succeeded = sum(pool.map(stream, range(streams)))
        running.clear()
        sampler.join()
    finally:
        proxy.stop()
    return {"idle_kib": idle, "peak_kib_64_streams": peak, "streams_ok": succeeded, "streams": streams}
