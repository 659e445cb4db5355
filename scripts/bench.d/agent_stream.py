#!/usr/bin/env python3
"""What an agent or a response hook in the stream costs: the proxy's CPU time per streamed
event for a plain pass-through stream against the same stream relayed through an agent (the C
test plugin's `/relay`, which streams a model call tied to its reply and sends a delta per chunk:
in-process call, SSE parsing, the plugin's callback queue, `send_delta`, a new chunk written) and
through response hooks (Tests/e2e/plugins/response_hooks.c: `pass`, which passes each chunk as it
came, and `hold-all`, which holds every chunk until the end).

A release proxy serves tiny-a (one thread, -np 1) under three ids, two of them with a hook; rounds
alternate a plain streamed chat completion of N tokens (`ignore_eos`), `/relay tiny-a N` and the
two hooked ones; CPU is the proxy's utime+stime from /proc between the two ends of each stream.
Figures are medians over the rounds.

Usage: scripts/bench.d/agent_stream.py [tokens] [rounds]  (env: LSP_PROXY_BINARY, LSP_LLAMA_SERVER, LSP_DEMO_MODELS)
"""
import json
import os
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

PROXY = Path(os.environ.get("LSP_PROXY_BINARY", REPO / ".build/release/llama-smart-proxy"))
LLAMA = Path(os.environ.get("LSP_LLAMA_SERVER", REPO / ".deps/llama-server"))
DEMO = Path(os.environ.get("LSP_DEMO_MODELS", REPO / "models"))


def main() -> int:
    tokens = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    work = Path(tempfile.mkdtemp(prefix="lsp-agent-stream-"))
    plugins = work / "plugins"
    plugins.mkdir(mode=0o755)
    for name, source in (("librelay.so", "streaming_agent.c"), ("libhooks.so", "response_hooks.c")):
        library = plugins / name
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-pthread", "-I", str(REPO / "plugin-sdk/include"), "-o", str(library),
                        str(REPO / "Tests/e2e/plugins" / source)], check=True)
        os.chmod(library, 0o644)
    port = free_port()
    (work / "config.json").write_text(json.dumps({
        "host": "127.0.0.1", "port": port, "llama_server": str(LLAMA), "models_dir": str(DEMO), "max_loaded": 3,
        "models": {"hooked": {"path": str(DEMO / "tiny-a.gguf"), "response_hook": "pass"},
                   "held": {"path": str(DEMO / "tiny-a.gguf"), "response_hook": "hold-all"}},
        "default_args": ["--threads", "1", "-np", "1"], "plugins_dir": str(plugins), "log_requests": False,
        "timeouts": {"agent_seconds": 30}}))
    proxy = subprocess.Popen([str(PROXY), "--config", str(work / "config.json")],
                             stdout=open(work / "proxy.log", "w"), stderr=subprocess.STDOUT)
    try:
        time.sleep(1)

        def cpu() -> float:
            fields = open(f"/proc/{proxy.pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        def stream(content: str, max_tokens: int, model: str = "tiny-a") -> int:
            body = json.dumps({"model": model, "stream": True, "max_tokens": max_tokens, "ignore_eos": True,
                               "messages": [{"role": "user", "content": content}]}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", body,
                                             {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=600) as response:
                return sum(1 for line in response if line.startswith(b"data: "))

        stream("warm up", 8)
        stream("/relay tiny-a 8", 0)
        stream("warm up", 8, "hooked")
        stream("warm up", 8, "held")
        runs_of = {
            "plain": lambda: stream("hello", tokens), "agent": lambda: stream(f"/relay tiny-a {tokens}", 0),
            "hook": lambda: stream("hello", tokens, "hooked"), "held": lambda: stream("hello", tokens, "held"),
        }
        results = {kind: [] for kind in runs_of}
        for _ in range(rounds):
            for kind, run in runs_of.items():
                before, started = cpu(), time.monotonic()
                events = run()
                results[kind].append((cpu() - before, time.monotonic() - started, events))
        per_event = {}
        for kind, runs in results.items():
            cpu_median = statistics.median(run[0] for run in runs)
            wall_median = statistics.median(run[1] for run in runs)
            events = statistics.median(run[2] for run in runs)
            per_event[kind] = cpu_median / events * 1e6
            print(f"{kind:5}  proxy CPU {cpu_median:.3f} s  wall {wall_median:.2f} s  events {events:.0f}"
                  f"  CPU per event {per_event[kind]:.1f} us")
        for kind, what in (("agent", "an agent in the stream"), ("hook", "a passing response hook"),
                           ("held", "a holding response hook")):
            print(f"{what} adds {per_event[kind] - per_event['plain']:.1f} us of proxy CPU per event"
                  f" ({per_event[kind] / per_event['plain']:.2f}x the pass-through's)")
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
