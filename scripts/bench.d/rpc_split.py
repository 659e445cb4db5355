#!/usr/bin/env python3
"""A model split across two llama.cpp RPC servers on loopback against the same model run
locally: prompt and generation speed from llama-server's own `timings`.

Generates an 8-layer, 512-wide model (scripts/make-sized-model.py), starts two ggml-rpc-servers
and two llama-servers (`-np 1 --threads 1 -ngl 99 --fit off`, one with `--rpc` to both servers),
and alternates 300-token prompts with 64 generated tokens between them; medians over the rounds.

Usage: scripts/bench.d/rpc_split.py [rounds]  (env: LSP_LLAMA_SERVER; ggml-rpc-server is beside it)
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests/e2e"))
from proxy_process import free_port  # noqa: E402

LLAMA = Path(os.environ.get("LSP_LLAMA_SERVER", REPO / ".deps/llama-server")).resolve()
RPC = LLAMA.with_name("ggml-rpc-server")


def wait_for(port: int, path: str | None = None) -> None:
    for _ in range(600):
        try:
            if path is None:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            else:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    work = Path(tempfile.mkdtemp(prefix="lsp-rpc-bench-"))
    model = work / "model.gguf"
    subprocess.run([sys.executable, str(REPO / "scripts/make-sized-model.py"), str(model), "--width", "512", "--layers", "8",
                    "--heads", "8", "--feed-forward", "1408", "--vocab", "8192"], check=True, stdout=subprocess.DEVNULL)
    processes = []
    try:
        rpc_ports = [free_port(), free_port()]
        for port in rpc_ports:
            processes.append(subprocess.Popen([str(RPC), "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_for(port)
        servers = {}
        for name, extra in (("local", []), ("split", ["--rpc", ",".join(f"127.0.0.1:{p}" for p in rpc_ports)])):
            port = free_port()
            processes.append(subprocess.Popen(
                [str(LLAMA), "-m", str(model), "--port", str(port), "-c", "2048", "-np", "1", "--threads", "1", "-ngl", "99",
                 "--fit", "off", *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_for(port, "/health")
            servers[name] = port
        results = {name: [] for name in servers}
        for index in range(rounds):
            for name, port in servers.items():
                body = json.dumps({"messages": [{"role": "user", "content": f"round {index} " + "word " * 300}],
                                   "max_tokens": 64, "temperature": 0, "cache_prompt": False}).encode()
                request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", body,
                                                 {"Content-Type": "application/json"})
                timings = json.load(urllib.request.urlopen(request, timeout=600))["timings"]
                results[name].append((timings["prompt_per_second"], timings["predicted_per_second"]))
        for name, runs in results.items():
            print(f"{name:5}  prompt {statistics.median(r[0] for r in runs):.0f} tokens/s"
                  f"  generation {statistics.median(r[1] for r in runs):.0f} tokens/s")
    finally:
        for process in processes:
            process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
