#!/usr/bin/env python3
"""What a remote upstream costs: the added latency of a hop through the proxy to a remote
llama-server against asking it directly, and the cost of failover (the first request after a
server went down, which tries it, is refused and goes to the next one) against the request after it.

A real llama-server (tiny-a, one thread) on a loopback TCP port is "the remote". Hop: rounds
alternate direct and through-the-proxy batches of one-token chat completions on a keep-alive
connection each; the figures are medians over all requests of each side. Failover: per round a
fresh proxy with `urls` [a listener that accepts, llama-server], checks an hour apart and no
health path (so the listener is up); the listener is closed, then the first request (round robin
starts at it: refused, then llama-server) and the second (straight to llama-server) are timed,
and, as the baseline, the first request of a fresh proxy with llama-server alone (which opens its
connection as the failing-over one does). Peer hop: a proxy serving tiny-a itself, asked directly
and through a front proxy that has it as a peer, alternating as for the hop.

Usage: scripts/bench.d/remote_hop.py [rounds]  (env: LSP_PROXY_BINARY, LSP_LLAMA_SERVER, LSP_DEMO_MODELS)
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tests/e2e"))
from http_client import request  # noqa: E402
from processes import wait_until  # noqa: E402
from proxy_process import ProxyProcess, free_port, make_config  # noqa: E402

PROXY = Path(os.environ.get("LSP_PROXY_BINARY", REPO / ".build/release/llama-smart-proxy"))
LLAMA = Path(os.environ.get("LSP_LLAMA_SERVER", REPO / ".deps/llama-server"))
DEMO = Path(os.environ.get("LSP_DEMO_MODELS", REPO / "models"))
BODY = b'{"model": "far", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1, "temperature": 0}'
BATCH = 20


def timed(connection: HTTPConnection, body: bytes = BODY) -> float:
    started = time.perf_counter()
    connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    assert response.status == 200, response.status
    return time.perf_counter() - started


def start_llama(port: int, folder: Path) -> subprocess.Popen:
    log = open(folder / "llama.log", "wb")
    process = subprocess.Popen([str(LLAMA), "-m", str(DEMO / "tiny-a.gguf"), "--host", "127.0.0.1", "--port", str(port),
                                "--threads", "1", "-c", "512", "--alias", "far"], stdout=log, stderr=subprocess.STDOUT)
    wait_until(lambda: healthy(port), timeout=120, message="llama-server")
    return process


def healthy(port: int) -> bool:
    try:
        return request(port, "GET", "/health", timeout=2).status == 200
    except OSError:
        return False


def proxy_for(folder: Path, urls: list[str], index: int, **model) -> ProxyProcess:
    workdir = folder / f"proxy{index}"
    workdir.mkdir()
    config = make_config(workdir, DEMO, LLAMA, (), log_requests=False, models={"far": {"urls": urls, **model}})
    return ProxyProcess(PROXY, workdir, config).start()


def hop(folder: Path, llama_port: int, rounds: int) -> tuple[float, float]:
    proxy = proxy_for(folder, [f"http://127.0.0.1:{llama_port}"], 0)
    try:
        sides = {"direct": (llama_port, []), "proxy": (proxy.port, [])}
        for side in sides:  # warm both
            connection = HTTPConnection("127.0.0.1", sides[side][0])
            for _ in range(5):
                timed(connection)
            connection.close()
        for round_index in range(rounds):
            order = ("direct", "proxy") if round_index % 2 == 0 else ("proxy", "direct")
            for side in order:
                port, samples = sides[side]
                connection = HTTPConnection("127.0.0.1", port)
                samples += [timed(connection) for _ in range(BATCH)]
                connection.close()
        return statistics.median(sides["direct"][1]), statistics.median(sides["proxy"][1])
    finally:
        proxy.stop()


def peer_hop(folder: Path, rounds: int) -> tuple[float, float]:
    """A peer proxy serving tiny-a itself, asked directly and through a front proxy that peers it."""
    workdir = folder / "peer"
    workdir.mkdir()
    config = make_config(workdir, DEMO, LLAMA, ("tiny-a",), log_requests=False)
    peer = ProxyProcess(PROXY, workdir, config).start()
    front_dir = folder / "front"
    front_dir.mkdir()
    front = ProxyProcess(PROXY, front_dir, make_config(front_dir, DEMO, LLAMA, (), log_requests=False,
                                                       peers={"peer": {"url": peer.base_url, "check_seconds": 0.2}})).start()
    body = BODY.replace(b'"far"', b'"tiny-a"')
    try:
        request(peer.port, "POST", "/v1/chat/completions", body, timeout=120)  # loads it
        wait_until(lambda: b'"ready"' in request(front.port, "GET", "/v1/models").body, timeout=30, message="the peer's model ready")
        sides = {"direct": (peer.port, []), "front": (front.port, [])}
        for round_index in range(rounds):
            order = ("direct", "front") if round_index % 2 == 0 else ("front", "direct")
            for side in order:
                port, samples = sides[side]
                connection = HTTPConnection("127.0.0.1", port)
                samples += [timed(connection, body) for _ in range(BATCH)]
                connection.close()
        return statistics.median(sides["direct"][1]), statistics.median(sides["front"][1])
    finally:
        front.stop()
        peer.stop()


def fresh(folder: Path, llama_port: int, rounds: int) -> float:
    """The first request of a fresh proxy with llama-server alone: a new connection, no failover."""
    first = []
    for round_index in range(rounds):
        proxy = proxy_for(folder, [f"http://127.0.0.1:{llama_port}"], 100 + round_index, health_check_seconds=3600)
        try:
            proxy.wait_for_log(f"remote up model=far url=http://127.0.0.1:{llama_port}")
            connection = HTTPConnection("127.0.0.1", proxy.port)
            first.append(timed(connection))
            connection.close()
        finally:
            proxy.stop()
    return statistics.median(first)


def failover(folder: Path, llama_port: int, rounds: int) -> tuple[float, float]:
    first, second = [], []
    for round_index in range(rounds):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        dead = listener.getsockname()[1]
        proxy = proxy_for(folder, [f"http://127.0.0.1:{dead}", f"http://127.0.0.1:{llama_port}"], round_index + 1,
                          health_path=None, health_check_seconds=3600)
        try:
            proxy.wait_for_log(f"remote up model=far url=http://127.0.0.1:{dead}", f"remote up model=far url=http://127.0.0.1:{llama_port}")
            listener.close()
            connection = HTTPConnection("127.0.0.1", proxy.port)
            first.append(timed(connection))
            second.append(timed(connection))
            connection.close()
            assert f"remote down model=far url=http://127.0.0.1:{dead}" in proxy.wait_for_log("remote down")
        finally:
            proxy.stop()
    return statistics.median(first), statistics.median(second)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory(prefix="lsp-remote-bench-") as temporary:
        folder = Path(temporary)
        llama_port = free_port()
        llama = start_llama(llama_port, folder)
        try:
            direct, proxied = hop(folder, llama_port, rounds)
            failing, after = failover(folder, llama_port, rounds)
            unfailed = fresh(folder, llama_port, rounds)
            peer_direct, peer_front = peer_hop(folder, rounds)
        finally:
            llama.kill()
            llama.wait()
    ms = 1000
    print(f"| | median |\n|---|---|")
    print(f"| direct to llama-server | {direct * ms:.2f} ms |")
    print(f"| through the proxy (remote url) | {proxied * ms:.2f} ms (+{(proxied - direct) * ms:.2f} ms) |")
    print(f"| first request after a server went down (refused, then the next) | {failing * ms:.2f} ms |")
    print(f"| the request after it | {after * ms:.2f} ms |")
    print(f"| first request of a fresh proxy, no server down (also a new connection) | {unfailed * ms:.2f} ms |")
    print(f"| a peer proxy serving its own model, asked directly | {peer_direct * ms:.2f} ms |")
    print(f"| the same through a front proxy that peers it | {peer_front * ms:.2f} ms (+{(peer_front - peer_direct) * ms:.2f} ms) |")
    print(f"failover cost: {(failing - unfailed) * ms:.2f} ms over a fresh proxy's first request")
    print(f"({rounds} rounds; hop: {BATCH} requests per side per round, alternating; failover: one pair per round)")


if __name__ == "__main__":
    main()
