#!/usr/bin/env python3
"""Replicas with prefix affinity against round-robin, in one run: a model with `replicas: 2`
serves a trace of 50 interleaved multi-turn conversations (4 clients, each cycling through its
conversations one turn at a time), once with `scheduling.replica_routing` "affinity" and once
"round_robin", in alternating rounds. Measured per request (max_tokens 1, so its time is its time
to first token): llama-server's own `timings.cache_n` and `prompt_n`; reported: the prompt cache
hit rate (cache_n / (cache_n + prompt_n), the prompt tokens) and the median and p90 time to first
token, and affinity's figures as ratios of round-robin's.

The model is generated (scripts/make-sized-model.py) big enough that prompt processing shows.

Usage: scripts/bench.d/affinity.py [--rounds N] [--slack ε]  (env: LSP_PROXY_BINARY, LSP_LLAMA_SERVER, LSP_DEMO_MODELS)
or `scripts/bench --only affinity`.
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests/e2e"))
from http_client import request  # noqa: E402
from processes import wait_until  # noqa: E402
from proxy_process import ProxyProcess, make_config  # noqa: E402

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "llama-smart-proxy/bench-models"
MODEL = CACHE / "sized-4x384.gguf"
CONVERSATIONS = 50
TURNS = 4
CLIENTS = 4
ROUTINGS = ("affinity", "round_robin")


def make_model():
    if MODEL.exists():
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    python = subprocess.check_output([str(REPO / "scripts/python-env")], text=True).strip() + "/bin/python"
    subprocess.run([python, str(REPO / "scripts/make-sized-model.py"), str(MODEL), "--layers", "4", "--width", "384",
                    "--context", "4096", "--type", "f16"], check=True)


def opening(conversation: int) -> list[dict]:
    """A system prompt and first question of ~250 tokens, different for every conversation."""
    rng = random.Random(conversation)
    words = " ".join(f"w{rng.randrange(500)}" for _ in range(110))
    return [{"role": "system", "content": f"You are assistant {conversation}. Context: {words}"},
            {"role": "user", "content": f"Question {conversation}: what about {words[:60]}?"}]


def ask(port: int, messages: list[dict]) -> dict:
    body = {"model": "big", "messages": messages, "max_tokens": 1, "temperature": 0, "cache_prompt": True}
    started = time.monotonic()
    response = request(port, "POST", "/v1/chat/completions", body, timeout=600)
    elapsed = time.monotonic() - started
    assert response.status == 200, response.body
    timings = response.json().get("timings", {})
    return {"ttft_s": elapsed, "cache_n": timings.get("cache_n", 0), "prompt_n": timings.get("prompt_n", 0),
            "replica": response.header("X-Llama-Proxy-Replica")}


def run_trace(port: int) -> list[dict]:
    """Every client owns every CLIENTS-th conversation and sends their turns round after round."""
    results: list[dict] = []
    lock = threading.Lock()

    def client(index: int):
        owned = list(range(index, CONVERSATIONS, CLIENTS))
        histories = {conversation: opening(conversation) for conversation in owned}
        for turn in range(TURNS):
            for conversation in owned:
                result = ask(port, histories[conversation])
                result.update(conversation=conversation, turn=turn)
                with lock:
                    results.append(result)
                histories[conversation] += [{"role": "assistant", "content": f"Answer {turn} to {conversation}."},
                                            {"role": "user", "content": f"Tell me more about point {turn + 1}, please."}]

    threads = [threading.Thread(target=client, args=(index,)) for index in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def run(routing: str, llama_server: Path, demo: Path, proxy_binary: Path, slack: float) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="lsp-bench-affinity-"))
    try:
        config = make_config(
            workdir, demo, llama_server, [], max_loaded=2, preload=["big"],
            scheduling={"replica_routing": routing, "replica_load_slack": slack},
            default_args=["--threads", "1", "-c", "8192", "-np", "2"],
            models={"big": {"path": str(workdir / "big.gguf"), "replicas": 2}})
        shutil.copyfile(MODEL, workdir / "big.gguf")
        proxy = ProxyProcess(proxy_binary, workdir, config).start()
        try:
            wait_until(lambda: proxy.log().count(" ready in ") >= 2, timeout=300, message="both replicas ready")
            started = time.monotonic()
            results = run_trace(proxy.port)
            makespan = time.monotonic() - started
        finally:
            proxy.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    later = [r for r in results if r["turn"] > 0]
    return {"routing": routing, "requests": len(results), "makespan_s": makespan,
            "hit_rate": hit_rate(results), "hit_rate_later_turns": hit_rate(later),
            "ttft_p50_s": statistics.median(r["ttft_s"] for r in results),
            "ttft_p90_s": quantile([r["ttft_s"] for r in results], 0.9),
            "ttft_p50_later_s": statistics.median(r["ttft_s"] for r in later),
            "moved_conversations": sum(len({r["replica"] for r in results if r["conversation"] == c}) > 1
                                       for c in range(CONVERSATIONS))}


def hit_rate(results: list[dict]) -> float:
    cached = sum(r["cache_n"] for r in results)
    return cached / max(1, cached + sum(r["prompt_n"] for r in results))


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure_affinity(llama_server: Path, demo: Path, proxy_binary: Path, rounds: int = 1, slack: float = 0.5) -> dict:
    make_model()
    runs = {routing: [] for routing in ROUTINGS}
    for _ in range(rounds):
        for routing in ROUTINGS:
            result = run(routing, llama_server, demo, proxy_binary, slack)
            print(f"affinity bench {routing}: {result}", flush=True)
            runs[routing].append(result)
    medians = {routing: {key: statistics.median(r[key] for r in results) for key in results[0] if key != "routing"}
               for routing, results in runs.items()}
    return {"rounds": rounds, "slack": slack, "conversations": CONVERSATIONS, "turns": TURNS, "clients": CLIENTS, **medians}


def affinity_table(report: dict) -> list[str]:
    a, rr = report["affinity"], report["round_robin"]
    rows = [("prompt cache hit rate, all turns", "hit_rate", "{:.1%}"),
            ("prompt cache hit rate, turns 2+", "hit_rate_later_turns", "{:.1%}"),
            ("time to first token p50", "ttft_p50_s", "{:.3f} s"),
            ("time to first token p50, turns 2+", "ttft_p50_later_s", "{:.3f} s"),
            ("time to first token p90", "ttft_p90_s", "{:.3f} s"),
            ("whole trace", "makespan_s", "{:.1f} s"),
            ("conversations that changed replica", "moved_conversations", "{:.0f}")]
    lines = ["| | affinity | round-robin | affinity / round-robin |", "|---|---|---|---|"]
    for label, key, form in rows:
        ratio = f"{a[key] / rr[key]:.2f}x" if rr[key] else "-"
        lines.append(f"| {label} | {form.format(a[key])} | {form.format(rr[key])} | {ratio} |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--slack", type=float, default=0.5, help="scheduling.replica_load_slack (ε)")
    args = parser.parse_args()
    report = measure_affinity(
        Path(os.environ.get("LSP_LLAMA_SERVER", REPO / ".deps/llama-server")),
        Path(os.environ.get("LSP_DEMO_MODELS", REPO / "models")),
        Path(os.environ.get("LSP_PROXY_BINARY", REPO / ".build/debug/llama-smart-proxy")), args.rounds, args.slack)
    print("\n".join(affinity_table(report)))


if __name__ == "__main__":
    main()
