"""A model split across two llama.cpp RPC servers (`ggml-rpc-server`, built by scripts/setup from
the same source as llama-server) on loopback: the model's `--rpc` argument, the check that each
server answers before its llama-server starts (503 naming the server otherwise, where llama-server
alone aborts with a backtrace), the servers listed in /v1/models and /admin/status, and a server
that dies under a loaded model."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from http_client import chat_body, request
from processes import rss_kib, wait_until
from proxy_process import free_port

REPO = Path(__file__).resolve().parents[2]
# 8 layers, 512 wide, f16: about 60 MiB of weights, so each server's share shows in its memory.
SHAPE = ["--width", "512", "--layers", "8", "--heads", "8", "--feed-forward", "1408", "--vocab", "8192"]


@pytest.fixture(scope="module")
def rpc_server_binary(llama_server) -> Path:
    binary = Path(os.environ.get("LSP_RPC_SERVER", llama_server.with_name("ggml-rpc-server"))).resolve()
    assert binary.exists(), f"{binary} is missing: scripts/setup builds ggml-rpc-server beside llama-server"
    return binary


@pytest.fixture(scope="module")
def split_model(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rpc-model") / "split.gguf"
    subprocess.run([sys.executable, str(REPO / "scripts/make-sized-model.py"), str(path), *SHAPE],
                   check=True, stdout=subprocess.DEVNULL)
    return path


class RPCServer:
    def __init__(self, binary: Path, log: Path, port: int | None = None):
        self.binary, self.log_path = binary, log
        self.port = port or free_port()
        self.process = None

    def start(self) -> "RPCServer":
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([str(self.binary), "-H", "127.0.0.1", "-p", str(self.port)],
                                        stdout=log, stderr=subprocess.STDOUT)
        wait_until(self.accepts, message=f"ggml-rpc-server on port {self.port}")  # its stdout is buffered
        return self

    def accepts(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@pytest.fixture
def rpc_servers(tmp_path, rpc_server_binary):
    servers = [RPCServer(rpc_server_binary, tmp_path / f"rpc{index}.log").start() for index in range(2)]
    yield servers
    for server in servers:
        server.stop()


def start_split_proxy(start_proxy, split_model, servers, **overrides):
    rpc = ",".join(server.address for server in servers)
    return start_proxy(model_files=("tiny-a",), max_loaded=2, models={"split": {
        "path": str(split_model), "args": ["--rpc", rpc, "-ngl", "99", "-c", "1024"]}},
        timeouts={"load_seconds": 120, "queue_seconds": 120, "shutdown_grace_seconds": 30,
                  "restart_backoff_max_seconds": 0}, **overrides)


def model_entry(proxy, model: str) -> dict:
    response = request(proxy.port, "GET", f"/v1/models/{model}")
    assert response.status == 200, response.body
    return response.json()


def test_a_model_split_across_two_rpc_servers_answers_and_each_server_holds_a_share(start_proxy, split_model, rpc_servers):
    before = [rss_kib(server.process.pid) for server in rpc_servers]
    proxy = start_split_proxy(start_proxy, split_model, rpc_servers)
    assert model_entry(proxy, "split")["rpc_servers"] == [server.address for server in rpc_servers]
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("split", max_tokens=16), timeout=180)
    assert response.status == 200, response.body
    assert response.json()["usage"]["completion_tokens"] > 0
    grown = [rss_kib(server.process.pid) - was for server, was in zip(rpc_servers, before)]
    print(f"rpc servers grew by {grown} KiB")
    # Each holds a part of the ~60 MiB of weights (split by free memory: about half each).
    assert all(kib > 8 * 1024 for kib in grown), grown
    status = request(proxy.port, "GET", "/admin/status").json()
    split = next(model for model in status["models"] if model["id"] == "split")
    assert split["rpc_servers"] == [server.address for server in rpc_servers] and split["state"] == "ready"
    # The other model has none, and still answers beside it.
    assert model_entry(proxy, "tiny-a")["rpc_servers"] == []
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"), timeout=60).status == 200


def test_an_unreachable_rpc_server_gets_a_503_naming_it_and_the_model_loads_once_it_is_back(
        start_proxy, split_model, rpc_servers):
    down = rpc_servers[1]
    down.stop()
    proxy = start_split_proxy(start_proxy, split_model, rpc_servers)
    started = time.monotonic()
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("split"), timeout=60)
    elapsed = time.monotonic() - started
    assert response.status == 503, response.body
    error = response.json()["error"]
    assert error["code"] == "model_start_failed"
    assert f"RPC server {down.address} is unreachable (Connection refused)" in error["message"], error
    assert elapsed < 20, f"a refused connection is known at once, took {elapsed:.1f} s"
    proxy.wait_for_log("split", "pid=- ")  # no llama-server was started
    assert f"RPC server {down.address} is unreachable" in (model_entry(proxy, "split") and
                                                          next(model["last_error"] for model in request(
                                                              proxy.port, "GET", "/admin/status").json()["models"]
                                                              if model["id"] == "split"))
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"), timeout=60).status == 200
    down.start()
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("split"), timeout=180)
    assert response.status == 200, response.body


def test_an_rpc_server_that_dies_under_a_loaded_model_fails_its_requests_and_nothing_else(
        start_proxy, split_model, rpc_servers):
    proxy = start_split_proxy(start_proxy, split_model, rpc_servers)
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("split"), timeout=180).status == 200
    rpc_servers[0].stop()
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("split"), timeout=180)
    assert response.status in (502, 503), response.body
    assert "error" in response.json()
    # The next one is refused before any llama-server starts, naming the server that is gone.
    wait_until(lambda: model_entry(proxy, "split")["state"] == "unloaded", timeout=60, message="split unloaded")
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("split"), timeout=60)
    assert response.status == 503 and rpc_servers[0].address in response.json()["error"]["message"], response.body
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"), timeout=60).status == 200
