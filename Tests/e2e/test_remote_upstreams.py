"""Remote upstreams: models served at http:// URLs that the proxy does not run. The remotes are
started by the tests on loopback TCP ports: a REAL llama-server, and openai_stub_server.py (which
can check an API key, note each request's headers, and hold its answers to look busy). Covered:
failover from a server that refuses connections, a server killed mid-run and one that comes
back, the model's key sent instead of the client's, least-busy spreading, all servers down."""
import json
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from http_client import chat_body, request
from processes import wait_until
from proxy_process import free_port

STUB = str(Path(__file__).resolve().parent / "openai_stub_server.py")


class Servers:
    """Servers started by a test on loopback ports; all are killed when the test ends."""

    def __init__(self, tmp_path: Path, llama_server: Path, demo_models: Path):
        self.tmp_path = tmp_path
        self.llama_server = llama_server
        self.demo_models = demo_models
        self.started: list[subprocess.Popen] = []

    def _start(self, argv, port: int, name: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}-{port}.log", "ab")
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.started.append(process)

        def healthy():
            assert process.poll() is None, f"{name} on port {port} exited with {process.returncode}"
            try:
                return request(port, "GET", "/health", timeout=5).status == 200
            except OSError:
                return False
        wait_until(healthy, timeout=120, interval=0.05, message=f"{name} /health on port {port}")
        return process

    def llama(self, port: int) -> subprocess.Popen:
        """A real llama-server on 127.0.0.1:port, its model outside every proxy's models folder."""
        return self._start([str(self.llama_server), "-m", str(self.demo_models / "tiny-a.gguf"), "--host", "127.0.0.1",
                            "--port", str(port), "--threads", "1", "-c", "512"], port, "llama-server")

    def stub(self, port: int, *arguments: str, model_id: str = "far") -> subprocess.Popen:
        return self._start([sys.executable, STUB, "--port", str(port), "--model-id", model_id, *arguments], port, "stub")

    def stop(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                self.stop(process)


@pytest.fixture
def servers(tmp_path, llama_server, demo_models):
    started = Servers(tmp_path, llama_server, demo_models)
    yield started
    started.stop_all()


def chat(proxy, model, headers=None, **extra):
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body(model, **extra), headers=headers, timeout=120)
    assert response.status == 200, response.body
    return response


def answered_by_stub(response) -> bool:
    return response.json()["choices"][0]["message"]["content"].startswith("stub ")


def servers_of(proxy, model) -> dict:
    """url -> {"state", "in_flight"} as /v1/models lists them."""
    response = request(proxy.port, "GET", f"/v1/models/{model}")
    assert response.status == 200, response.body
    listing = response.json()
    assert listing["source"] == "remote"
    return {server["url"]: server for server in listing["servers"]}


def requests_noted(path: Path, method: str = "POST") -> list[dict]:
    if not path.exists():
        return []
    complete = path.read_text().rpartition("\n")[0]  # a line being written is not there yet
    return [entry for entry in map(json.loads, complete.splitlines()) if entry["method"] == method]


def test_a_refused_connection_fails_over_to_the_next_server(start_proxy, servers):
    stub_port, llama_port = free_port(), free_port()
    stub = servers.stub(stub_port)
    servers.llama(llama_port)
    # Checks an hour apart: only requests can notice that the stub is gone.
    proxy = start_proxy(model_files=(), models={"far": {
        "urls": [f"http://127.0.0.1:{stub_port}", f"http://127.0.0.1:{llama_port}"], "health_check_seconds": 3600}})
    proxy.wait_for_log(f"remote up model=far url=http://127.0.0.1:{stub_port}", f"remote up model=far url=http://127.0.0.1:{llama_port}")
    by_stub = [answered_by_stub(chat(proxy, "far")) for _ in range(4)]
    assert by_stub.count(True) == 2 and by_stub.count(False) == 2  # one at a time: round robin
    servers.stop(stub)
    for _ in range(4):
        assert not answered_by_stub(chat(proxy, "far"))  # the one that refused never shows
    log = proxy.wait_for_log(f"remote down model=far url=http://127.0.0.1:{stub_port}: cannot connect to upstream")
    assert log.count("remote down model=far") == 1
    listed = servers_of(proxy, "far")
    assert listed[f"http://127.0.0.1:{stub_port}"]["state"] == "down"
    assert listed[f"http://127.0.0.1:{llama_port}"]["state"] == "up"
    streamed = request(proxy.port, "POST", "/v1/chat/completions", chat_body("far", stream=True), timeout=120)
    assert streamed.status == 200 and b"data: [DONE]" in streamed.body


def test_a_server_down_at_start_comes_back_and_goes_again(start_proxy, servers):
    late_port, llama_port = free_port(), free_port()
    servers.llama(llama_port)
    proxy = start_proxy(model_files=(), models={"far": {
        "urls": [f"http://127.0.0.1:{late_port}", f"http://127.0.0.1:{llama_port}"], "health_check_seconds": 0.2}})
    proxy.wait_for_log(f"remote down model=far url=http://127.0.0.1:{late_port}")
    assert servers_of(proxy, "far")[f"http://127.0.0.1:{late_port}"]["state"] == "down"
    for _ in range(3):
        assert not answered_by_stub(chat(proxy, "far"))
    late = servers.stub(late_port)
    proxy.wait_for_log(f"remote up model=far url=http://127.0.0.1:{late_port} (back)", timeout=30)
    by_stub = [answered_by_stub(chat(proxy, "far")) for _ in range(4)]
    assert by_stub.count(True) == 2, by_stub  # back in the rotation
    # Killed mid-run: marked down (by a request or a check), and every request sent after the
    # kill succeeds. The one in flight at the stub when it died may fail: it is never sent twice.
    killed = threading.Event()
    outcomes = []

    def keep_asking():
        while len([after for after, _ in outcomes if after]) < 8:
            after = killed.is_set()
            response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("far"), timeout=120)
            outcomes.append((after, response.status))
    asker = threading.Thread(target=keep_asking)
    asker.start()
    wait_until(lambda: len(outcomes) >= 4, timeout=60, message="requests before the kill")
    servers.stop(late)
    killed.set()
    asker.join(timeout=110)
    assert not asker.is_alive()
    assert [status for after, status in outcomes if after] == [200] * 8
    assert sum(status != 200 for after, status in outcomes if not after) <= 1
    wait_until(lambda: servers_of(proxy, "far")[f"http://127.0.0.1:{late_port}"]["state"] == "down", timeout=30,
               message="the killed server listed as down")
    assert not any(answered_by_stub(chat(proxy, "far")) for _ in range(3))


def test_the_models_key_is_sent_and_the_clients_credentials_are_not(start_proxy, servers, tmp_path):
    port = free_port()
    noted = tmp_path / "requests.jsonl"
    servers.stub(port, "--api-key", "remote-secret", "--requests-file", str(noted))
    key_file = tmp_path / "remote.key"
    key_file.write_text("# the stub's key\nremote-secret\n")
    proxy = start_proxy(model_files=(), api_keys=["client-secret"], models={
        "keyed": {"url": f"http://127.0.0.1:{port}", "api_key_file": str(key_file), "health_path": "/v1/models"},
        "wrong-key": {"url": f"http://127.0.0.1:{port}/", "api_key": "not-the-key", "health_path": "/v1/models"},
    })
    proxy.wait_for_log("remote up model=keyed", "remote down model=wrong-key")
    client = [("Authorization", "Bearer client-secret"), ("x-api-key", "client-secret")]
    assert answered_by_stub(chat(proxy, "keyed", headers=client))
    posted = requests_noted(noted)
    assert posted == [{"method": "POST", "path": "/v1/chat/completions", "host": f"127.0.0.1:{port}",
                       "authorization": "Bearer remote-secret", "x-api-key": None}]
    checks = [entry for entry in requests_noted(noted, "GET") if entry["path"] == "/v1/models"]  # not the test's own /health
    assert {entry["authorization"] for entry in checks} == {"Bearer remote-secret", "Bearer not-the-key"}
    # The wrong key fails its health check (401): down, and its requests get the 503.
    refused = request(proxy.port, "POST", "/v1/chat/completions", chat_body("wrong-key"), headers=client)
    assert refused.status == 503, refused.body
    assert refused.json()["error"]["code"] == "model_unavailable"
    assert "model 'wrong-key' is unavailable" in refused.json()["error"]["message"]
    assert "failed its health check (GET /v1/models)" in refused.json()["error"]["message"]
    assert "remote-secret" not in proxy.log() and "client-secret" not in proxy.log() and "not-the-key" not in proxy.log()


def test_concurrent_requests_go_to_the_least_busy_server(start_proxy, servers, tmp_path):
    ports = free_port(), free_port()
    holds = tmp_path / "hold-a", tmp_path / "hold-b"
    noted = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for port, hold, file in zip(ports, holds, noted):
        servers.stub(port, "--hold-file", str(hold), "--requests-file", str(file))
    proxy = start_proxy(model_files=(), models={"spread": {"urls": [f"http://127.0.0.1:{port}" for port in ports]}})
    proxy.wait_for_log(*(f"remote up model=spread url=http://127.0.0.1:{port}" for port in ports))
    # Both busy (holding every answer): six at once split three and three.
    with ThreadPoolExecutor(max_workers=6) as pool:
        running = [pool.submit(chat, proxy, "spread") for _ in range(6)]
        wait_until(lambda: sum(len(requests_noted(file)) for file in noted) == 6, timeout=60, message="six requests at the stubs")
        assert [len(requests_noted(file)) for file in noted] == [3, 3]
        assert [server["in_flight"] for server in servers_of(proxy, "spread").values()] == [3, 3]
        for hold in holds:
            hold.touch()
        assert all(future.result().status == 200 for future in running)
    # One held on a: every request after it goes to b, which has none in flight, not round robin.
    holds[0].unlink()
    with ThreadPoolExecutor(max_workers=4) as pool:
        held = []
        while len(requests_noted(noted[0])) == 3:  # until one lands on a (and stays there)
            held.append(pool.submit(chat, proxy, "spread"))
            wait_until(lambda: sum(len(requests_noted(file)) for file in noted) == 6 + len(held), timeout=60,
                       message="the request at a stub")
        on_b = len(requests_noted(noted[1]))
        for _ in range(4):
            chat(proxy, "spread")
        assert len(requests_noted(noted[1])) == on_b + 4
        assert len(requests_noted(noted[0])) == 4
        holds[0].touch()
        assert all(future.result().status == 200 for future in held)


def test_every_server_down_is_a_503_naming_the_model(start_proxy):
    ports = free_port(), free_port()
    proxy = start_proxy(model_files=(), models={"gone": {"urls": [f"http://127.0.0.1:{port}" for port in ports]}})
    proxy.wait_for_log(*(f"remote down model=gone url=http://127.0.0.1:{port}" for port in ports))
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("gone"))
    assert response.status == 503, response.body
    error = response.json()["error"]
    assert error["code"] == "model_unavailable" and error["type"] == "server_error"
    assert error["message"].startswith("model 'gone' is unavailable: all 2 of its servers are down")
    assert all(f"127.0.0.1:{port}" in error["message"] for port in ports)
    assert response.header("Retry-After") == "10"
    listing = request(proxy.port, "GET", "/v1/models/gone").json()
    assert listing["state"] == "unavailable"
    assert [server["state"] for server in listing["servers"]] == ["down", "down"]


def test_an_https_url_is_refused_at_start(proxy_binary, tmp_path):
    config = tmp_path / "bad.json"
    config.write_text(json.dumps({"port": 1, "llama_server": "/bin/true", "models": {"m": {"url": "https://api.example.com"}}}))
    result = subprocess.run([str(proxy_binary), "--config", str(config)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "models.m.url: https is not supported" in result.stderr + result.stdout
    assert "stunnel" in result.stderr + result.stdout


def test_a_reload_adds_and_drops_servers_and_keeps_the_state_of_the_others(start_proxy, servers):
    a_port, b_port, dead_port = free_port(), free_port(), free_port()
    servers.stub(a_port, model_id="a")
    servers.stub(b_port, model_id="b")
    urls = {name: f"http://127.0.0.1:{port}" for name, port in (("a", a_port), ("b", b_port), ("dead", dead_port))}
    proxy = start_proxy(model_files=(), models={"far": {"urls": [urls["a"], urls["dead"]], "health_check_seconds": 3600}})
    proxy.wait_for_log(f"remote up model=far url={urls['a']}", f"remote down model=far url={urls['dead']}")

    def reload(server_names):
        proxy.config["models"]["far"]["urls"] = [urls[name] for name in server_names]
        proxy.config_path.write_text(json.dumps(proxy.config))
        reloads = proxy.log().count("reloaded configuration")
        proxy.signal(signal.SIGHUP)
        wait_until(lambda: proxy.log().count("reloaded configuration") > reloads, timeout=30, message="the reload")

    def served_by():
        return chat(proxy, "far").json()["choices"][0]["message"]["content"].split()[1]

    reload(["a", "dead", "b"])
    proxy.wait_for_log(f"remote up model=far url={urls['b']}")  # a new server is checked at once
    listed = servers_of(proxy, "far")
    assert [listed[urls[name]]["state"] for name in ("a", "dead", "b")] == ["up", "down", "up"]  # kept ones keep theirs
    assert proxy.log().count(f"remote up model=far url={urls['a']}") == 1
    assert sorted(served_by() for _ in range(4)) == ["a", "a", "b", "b"]
    reload(["b"])
    assert list(servers_of(proxy, "far")) == [urls["b"]]
    assert {served_by() for _ in range(3)} == {"b"}
