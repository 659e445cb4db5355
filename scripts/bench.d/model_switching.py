"""Cold load and swap times on the demo models, this proxy against router mode.

- cold load: from a started, idle front (proxy or router, no model loaded) to the first answer
  of a one-token request; llama-server alone is timed from spawn to its first answer;
- swap: room for one model (max_loaded 1 / --models-max 1), A loaded, a request to B (stop A,
  start B, answer), then back; and a warm request for comparison.
Cold-load rounds alternate the sides; the swaps run on one instance of each side. Each figure is
the median.
"""
import statistics
import time
from pathlib import Path

from sides import LlamaServerAlone, RouterMode, start_proxy, one_token_chat


def timed_ms(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def measure_cold_load(args, models: Path, workdir: Path) -> dict:
    samples = {"llama_server": [], "proxy": [], "router": []}
    for round_number in range(args.rounds):
        start = time.perf_counter()
        server = LlamaServerAlone(args.llama_server, models / "tiny-a.gguf")
        try:
            server.wait_ready()
            one_token_chat(server.port, "tiny-a")
            spawn_and_answer_ms = (time.perf_counter() - start) * 1000
        finally:
            server.stop()
        samples["llama_server"].append(spawn_and_answer_ms)

        proxy = start_proxy(args, models, workdir / f"cold{round_number}", 1)
        try:
            samples["proxy"].append(timed_ms(lambda: one_token_chat(proxy.port, "tiny-a")))
        finally:
            proxy.stop()
        router = RouterMode(args.llama_server, models, workdir / f"router-cold{round_number}", 1)
        try:
            samples["router"].append(timed_ms(lambda: one_token_chat(router.port, "tiny-a")))
        finally:
            router.stop()
    return {f"{side}_ms": statistics.median(values) for side, values in samples.items()}


def _swaps(front, rounds: int) -> dict:
    one_token_chat(front.port, "tiny-a")
    swaps = [timed_ms(lambda model=model: one_token_chat(front.port, model)) for model in ["tiny-b", "tiny-a"] * rounds]
    warm = [timed_ms(lambda: one_token_chat(front.port, "tiny-a")) for _ in range(rounds)]
    return {"swap_ms": statistics.median(swaps), "warm_request_ms": statistics.median(warm)}


def measure_swap(args, models: Path, workdir: Path) -> dict:
    result = {}
    proxy = start_proxy(args, models, workdir / "swap", 1)
    try:
        result["proxy"] = _swaps(proxy, args.rounds)
    finally:
        proxy.stop()
    router = RouterMode(args.llama_server, models, workdir / "router-swap", 1)
    try:
        result["router"] = _swaps(router, args.rounds)
    finally:
        router.stop()
    return result
