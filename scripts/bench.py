#!/usr/bin/env python3
"""Measures the proxy against llama-server alone, in one run, on the demo models.

- throughput: wrk keep-alive, one-token chat completions, at several connection counts, against
  llama-server alone (TCP) and the proxy in front of the same model (UNIX socket upstream);
- cold load: spawn to first answer, llama-server alone vs a request to an unloaded model;
- swap: with max_loaded 1, a request to B while A is loaded (stop A, start B, answer);
- the proxy's own memory (VmRSS) idle and while 64 streams run through it.
Run through scripts/bench, which sets up and builds first.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "Tests/e2e"))

from http_client import chat_body, request  # noqa: E402
from processes import rss_kib, wait_until  # noqa: E402
from proxy_process import ProxyProcess, free_port  # noqa: E402

WRK_SCRIPT = REPO / "scripts/bench-chat.lua"
# Same llama-server arguments alone and behind the proxy, so only the proxy differs.
LLAMA_ARGS = ["--threads-http", "80"]


def healthy(port: int) -> bool:
    try:
        return request(port, "GET", "/health", timeout=2).status == 200
    except OSError:
        return False


def one_token_chat(port: int, model: str) -> None:
    response = request(port, "POST", "/v1/chat/completions", chat_body(model, max_tokens=1))
    assert response.status == 200, response.body[:300]


class LlamaServerAlone:
    def __init__(self, binary: Path, model: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(binary), "-m", str(model), *LLAMA_ARGS, "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_ready(self) -> None:
        wait_until(lambda: healthy(self.port), timeout=60, interval=0.001, message="llama-server alone")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a busy llama-server may ignore the first SIGTERM
            self.process.kill()
            self.process.wait()


def start_proxy(binary: Path, llama_server: Path, models: Path, workdir: Path, max_loaded: int) -> ProxyProcess:
    workdir.mkdir(parents=True, exist_ok=True)
    config = {"host": "127.0.0.1", "port": free_port(), "llama_server": str(llama_server),
              "models_dir": str(models), "max_loaded": max_loaded, "default_args": LLAMA_ARGS,
              "log_requests": False}
    return ProxyProcess(binary, workdir, config).start()


def wrk(port: int, connections: int, seconds: int, model: str) -> dict:
    threads = min(2, connections)
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}/v1/chat/completions"],
        capture_output=True, text=True, env={**os.environ, "BENCH_MODEL": model}, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    rps, p50, errors, requests = line.split()[1:]
    return {"rps": float(rps), "p50_ms": float(p50), "errors": int(errors), "requests": int(requests)}


def timed(action):
    """(milliseconds, result) of action()."""
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


class NginxReference:
    """nginx as a plain reverse proxy (upstream keep-alive, no buffering) in front of the same
    llama-server: the reference a proxy should keep up with on this machine."""

    def __init__(self, upstream_port: int, workdir: Path):
        self.port = free_port()
        workdir.mkdir(parents=True, exist_ok=True)
        self.config = workdir / "nginx.conf"
        self.config.write_text(f"""
worker_processes 1;
error_log {workdir}/error.log;
pid {workdir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  upstream llama {{ server 127.0.0.1:{upstream_port}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{self.port};
    location / {{ proxy_pass http://llama; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_buffering off; proxy_read_timeout 1h; }}
  }}
}}
""")
        subprocess.run(["nginx", "-c", str(self.config), "-p", str(workdir)], check=True)
        wait_until(lambda: healthy(self.port), timeout=10, interval=0.01, message="nginx")

    def stop(self) -> None:
        subprocess.run(["nginx", "-c", str(self.config), "-s", "stop"], check=False)


def measure_throughput(args, proxy_models: Path, workdir: Path) -> list[dict]:
    """Rounds of llama-server alone, then the proxy, never both at once: an idle llama-server
    still takes CPU from the one being measured on a 2-core machine. Medians over the rounds."""
    samples = {connections: {"alone": [], "nginx": [], "proxy": []} for connections in args.connections}
    for round_number in range(args.throughput_rounds):
        alone = LlamaServerAlone(args.llama_server, args.models / "tiny-a.gguf")
        try:
            alone.wait_ready()
            one_token_chat(alone.port, "tiny-a")
            nginx = NginxReference(alone.port, workdir / f"nginx{round_number}")
            try:
                for connections in args.connections:
                    samples[connections]["alone"].append(wrk(alone.port, connections, args.seconds, "tiny-a"))
                    samples[connections]["nginx"].append(wrk(nginx.port, connections, args.seconds, "tiny-a"))
            finally:
                nginx.stop()
        finally:
            alone.stop()
        proxy = start_proxy(args.proxy, args.llama_server, proxy_models, workdir / f"throughput{round_number}", 2)
        try:
            one_token_chat(proxy.port, "tiny-a")
            for connections in args.connections:
                samples[connections]["proxy"].append(wrk(proxy.port, connections, args.seconds, "tiny-a"))
        finally:
            proxy.stop()
    rows = []
    for connections, sides in samples.items():
        direct, nginx, proxied = (median_result(sides[side]) for side in ("alone", "nginx", "proxy"))
        rows.append({"connections": connections, "llama_server": direct, "nginx": nginx, "proxy": proxied,
                     "ratio": proxied["rps"] / direct["rps"] if direct["rps"] else 0.0,
                     "nginx_ratio": nginx["rps"] / direct["rps"] if direct["rps"] else 0.0})
    return rows


def median_result(results: list[dict]) -> dict:
    return {"rps": statistics.median(r["rps"] for r in results),
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "errors": sum(r["errors"] for r in results),
            "requests": sum(r["requests"] for r in results)}


def measure_cold_load(args, proxy_models: Path, workdir: Path) -> dict:
    alone_ms, proxy_ms = [], []
    for round_number in range(args.rounds):
        def spawn_and_answer():
            server = LlamaServerAlone(args.llama_server, args.models / "tiny-a.gguf")
            server.wait_ready()
            one_token_chat(server.port, "tiny-a")
            return server
        elapsed, server = timed(spawn_and_answer)
        server.stop()
        alone_ms.append(elapsed)

        proxy = start_proxy(args.proxy, args.llama_server, proxy_models, workdir / f"cold{round_number}", 1)
        try:
            proxy_ms.append(timed(lambda: one_token_chat(proxy.port, "tiny-a"))[0])
        finally:
            proxy.stop()
    return {"llama_server_ms": statistics.median(alone_ms), "proxy_ms": statistics.median(proxy_ms)}


def measure_swap(args, proxy_models: Path, workdir: Path) -> dict:
    proxy = start_proxy(args.proxy, args.llama_server, proxy_models, workdir / "swap", 1)
    try:
        one_token_chat(proxy.port, "tiny-a")
        swaps = [timed(lambda model=model: one_token_chat(proxy.port, model))[0]
                 for model in ["tiny-b", "tiny-a"] * args.rounds]
        warm = [timed(lambda: one_token_chat(proxy.port, "tiny-a"))[0] for _ in range(args.rounds)]
    finally:
        proxy.stop()
    return {"swap_ms": statistics.median(swaps), "warm_request_ms": statistics.median(warm)}


def measure_memory(proxy: ProxyProcess, streams: int = 64) -> dict:
    """Right after the first model load (idle), then the peak while `streams` streams run."""
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
    return {"idle_kib": idle, "peak_kib_64_streams": peak, "streams_ok": succeeded, "streams": streams}


def print_report(report: dict) -> None:
    print("\nthroughput: chat completions, max_tokens 1, keep-alive (wrk), medians of alternating rounds")
    print(f"{'conns':>6} {'llama-server req/s':>19} {'p50 ms':>7} {'nginx req/s':>12} {'p50 ms':>7} "
          f"{'proxy req/s':>12} {'p50 ms':>7} {'proxy/alone':>12} {'nginx/alone':>12} {'errors':>9}")
    for row in report["throughput"]:
        direct, nginx, proxied = row["llama_server"], row["nginx"], row["proxy"]
        print(f"{row['connections']:>6} {direct['rps']:>19.1f} {direct['p50_ms']:>7.2f} {nginx['rps']:>12.1f} "
              f"{nginx['p50_ms']:>7.2f} {proxied['rps']:>12.1f} {proxied['p50_ms']:>7.2f} {row['ratio']:>12.2f} "
              f"{row['nginx_ratio']:>12.2f} {direct['errors']:>3}/{nginx['errors']}/{proxied['errors']:<3}")
    cold, swap, memory = report["cold_load"], report["swap"], report["memory"]
    print(f"\ncold load to first answer (median): llama-server alone {cold['llama_server_ms']:.1f} ms, "
          f"through the proxy {cold['proxy_ms']:.1f} ms")
    print(f"swap A->B with max_loaded 1 (median): {swap['swap_ms']:.1f} ms "
          f"(a warm request: {swap['warm_request_ms']:.2f} ms)")
    print(f"proxy RSS: idle {memory['idle_kib'] / 1024:.1f} MiB, peak with {memory['streams']} streams "
          f"{memory['peak_kib_64_streams'] / 1024:.1f} MiB ({memory['streams_ok']} streams completed)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proxy", type=Path, default=REPO / ".build/release/llama-smart-proxy")
    parser.add_argument("--llama-server", type=Path, default=REPO / ".deps/llama-server")
    parser.add_argument("--models", type=Path, default=REPO / "models")
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration per measurement")
    parser.add_argument("--throughput-rounds", type=int, default=3,
                        help="alternating rounds of llama-server alone and the proxy")
    parser.add_argument("--rounds", type=int, default=5, help="repetitions of the load and swap timings")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    args.proxy, args.llama_server, args.models = (path.resolve() for path in (args.proxy, args.llama_server, args.models))

    with tempfile.TemporaryDirectory(prefix="lsp-bench-") as temp:
        workdir = Path(temp)
        # The proxies serve copies, so their children are told apart from any other llama-server.
        (workdir / "models").mkdir()
        for name in ("tiny-a", "tiny-b"):
            shutil.copyfile(args.models / f"{name}.gguf", workdir / "models" / f"{name}.gguf")
        proxy_models = workdir / "models"
        proxy = start_proxy(args.proxy, args.llama_server, proxy_models, workdir / "main", 2)
        try:
            report = {"memory": measure_memory(proxy)}
        finally:
            proxy.stop()
        report["throughput"] = measure_throughput(args, proxy_models, workdir)
        report["cold_load"] = measure_cold_load(args, proxy_models, workdir)
        report["swap"] = measure_swap(args, proxy_models, workdir)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
