"""Warm throughput: wrk keep-alive, one-token chat completions to a loaded model, at several
connection counts, for llama-server alone, nginx in front of it, this proxy and router mode.

The sides run one after another, never two at once (an idle llama-server still takes CPU from
the one being measured on a small machine), in rounds; each figure is the median over the rounds.
"""
import os
import statistics
import subprocess
from pathlib import Path

from sides import LlamaServerAlone, NginxReference, RouterMode, start_proxy, one_token_chat

WRK_SCRIPT = Path(__file__).resolve().parents[1] / "bench-chat.lua"
SIDES = ("llama_server", "nginx", "proxy", "router")


def wrk(port: int, connections: int, seconds: int, model: str) -> dict:
    threads = min(2, connections)
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}/v1/chat/completions"],
        capture_output=True, text=True, env={**os.environ, "BENCH_MODEL": model}, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    rps, p50, p99, errors, requests = line.split()[1:]
    return {"rps": float(rps), "p50_ms": float(p50), "p99_ms": float(p99), "errors": int(errors),
            "requests": int(requests)}


def median_result(results: list[dict]) -> dict:
    return {"rps": statistics.median(r["rps"] for r in results),
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": statistics.median(r["p99_ms"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "requests": sum(r["requests"] for r in results)}


def measure_throughput(args, models: Path, workdir: Path) -> list[dict]:
    """models holds tiny-a (and nothing the router should load instead)."""
    samples = {connections: {side: [] for side in SIDES} for connections in args.connections}

    def run_all(side: str, port: int) -> None:
        for connections in args.connections:
            samples[connections][side].append(wrk(port, connections, args.seconds, "tiny-a"))

    for round_number in range(args.throughput_rounds):
        alone = LlamaServerAlone(args.llama_server, models / "tiny-a.gguf").wait_ready()
        try:
            one_token_chat(alone.port, "tiny-a")
            nginx = NginxReference(alone.port, workdir / f"nginx{round_number}")
            try:
                for connections in args.connections:
                    samples[connections]["llama_server"].append(wrk(alone.port, connections, args.seconds, "tiny-a"))
                    samples[connections]["nginx"].append(wrk(nginx.port, connections, args.seconds, "tiny-a"))
            finally:
                nginx.stop()
        finally:
            alone.stop()
        proxy = start_proxy(args, models, workdir / f"throughput{round_number}", 2)
        try:
            one_token_chat(proxy.port, "tiny-a")
            run_all("proxy", proxy.port)
        finally:
            proxy.stop()
        router = RouterMode(args.llama_server, models, workdir / f"router-throughput{round_number}", 2)
        try:
            one_token_chat(router.port, "tiny-a")
            run_all("router", router.port)
        finally:
            router.stop()
    rows = []
    for connections, sides in samples.items():
        row = {"connections": connections, **{side: median_result(sides[side]) for side in SIDES}}
        direct = row["llama_server"]["rps"]
        for side in ("nginx", "proxy", "router"):
            row[f"{side}_ratio"] = row[side]["rps"] / direct if direct else 0.0
        rows.append(row)
    return rows
