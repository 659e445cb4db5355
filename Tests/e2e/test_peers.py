"""Peers: a front proxy that serves the models of two other Llama Smart Proxies, each with its own
pool of REAL llama-servers, all on loopback. The front merges their `/v1/models` with their
states, sends a request to the peer that has the model loaded (else one that lists it), skips a
peer that is down until it is back, and two proxies that peer each other never loop."""
import os
import threading
from pathlib import Path

import pytest

from http_client import chat_body, request
from processes import wait_until
from proxy_process import free_port

PEER_NAME = "lsp-peers.test"


def chat(proxy, model):
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body(model), timeout=120)
    assert response.status == 200, response.body
    return response


def listing(proxy) -> dict:
    response = request(proxy.port, "GET", "/v1/models")
    assert response.status == 200, response.body
    return {model["id"]: model for model in response.json()["data"]}


def peer_states(proxy, model) -> dict:
    entry = listing(proxy).get(model)
    return {peer["name"]: peer["state"] for peer in entry["peers"]} if entry else {}


def served(proxy, model) -> int:
    return proxy.log().count(f"request POST /v1/chat/completions model={model} status=200")


def served_once_logged(proxy, model, expected: int) -> int:
    """`served`, once at least `expected` lines are in: the log trails the answers."""
    wait_until(lambda: served(proxy, model) >= expected, timeout=10, message=f"{expected} answers of {model} logged")
    return served(proxy, model)


def test_a_front_proxy_routes_to_its_peers_by_their_states(start_proxy):
    front_port = free_port()
    one = start_proxy(model_files=("tiny-a",), peers={"front": {"url": f"http://127.0.0.1:{front_port}", "check_seconds": 0.2}})
    two = start_proxy(model_files=("tiny-a", "tiny-b"))
    front = start_proxy(model_files=(), port=front_port, peers={
        "one": {"url": one.base_url, "check_seconds": 0.2}, "two": {"url": two.base_url, "check_seconds": 0.2}})
    front.wait_for_log("peer up peer=one", "peer up peer=two")
    models = listing(front)
    assert models["tiny-a"]["source"] == "peer"
    assert peer_states(front, "tiny-a") == {"one": "unloaded", "two": "unloaded"}
    assert peer_states(front, "tiny-b") == {"two": "unloaded"}
    assert set(listing(two)) == {"tiny-a", "tiny-b"}  # a peer lists only its own models
    shown = request(front.port, "GET", "/v1/models/tiny-b").json()
    assert shown["id"] == "tiny-b" and [peer["name"] for peer in shown["peers"]] == ["two"]

    # Loaded on two: the front sends tiny-a there, never to one (where it would have to load).
    chat(two, "tiny-a")
    wait_until(lambda: peer_states(front, "tiny-a").get("two") == "ready", timeout=30, message="two's tiny-a ready at the front")
    for _ in range(3):
        chat(front, "tiny-a")
    assert served_once_logged(two, "tiny-a", 4) == 4 and one.child_for("tiny-a.gguf") is None
    assert "note=" not in front.log().split("model=tiny-a status=200", 1)[0].splitlines()[-1]

    # A model's own endpoints through /upstream/<model>/: the peer gets the target as the client sent it.
    props = request(front.port, "GET", "/upstream/tiny-a/props")
    assert props.status == 200 and "model_path" in props.json(), props.body
    assert "request GET /upstream/tiny-a/props model=tiny-a status=200" in two.wait_for_log("GET /upstream/tiny-a/props")

    # Two proxies that peer each other: a name neither has is a 404 from both, not a loop.
    assert request(front.port, "POST", "/v1/chat/completions", chat_body("nowhere")).status == 404
    missing = request(one.port, "POST", "/v1/chat/completions", chat_body("nowhere"))
    assert missing.status == 404 and missing.json()["error"]["code"] == "model_not_found"

    # tiny-b only on two; then two goes down: tiny-a goes to one, tiny-b is gone until two is back.
    chat(front, "tiny-b")
    assert served_once_logged(two, "tiny-b", 1) == 1
    two.stop()
    chat(front, "tiny-a")
    assert served_once_logged(one, "tiny-a", 1) == 1
    front.wait_for_log("peer down peer=two", timeout=30)
    wait_until(lambda: "tiny-b" not in listing(front), timeout=30, message="tiny-b gone from the front's list")
    assert request(front.port, "POST", "/v1/chat/completions", chat_body("tiny-b")).status == 404
    two.start()
    front.wait_for_log("peer up peer=two", "(back)", timeout=30)
    chat(front, "tiny-b")
    assert served_once_logged(two, "tiny-b", 2) == 2


@pytest.fixture
def hosts_file():
    """hosts_file(lines) makes /etc/hosts the original plus `lines`; the original is back after
    the test. Written in place (a container's /etc/hosts is a bind mount); CI runs as root in a
    throwaway container, so this is safe there."""
    path = Path("/etc/hosts")
    if not os.access(path, os.W_OK):
        pytest.skip("needs to write /etc/hosts (run as root, as CI does)")
    original = path.read_text()
    base = original if original.endswith("\n") or not original else original + "\n"

    def write(lines):
        path.write_text(base + "".join(f"{line}\n" for line in lines))

    yield write
    path.write_text(original)


class ChatLoad:
    """Chat requests for `model` sent one after another by `workers` threads until `stop()`; every
    answer that is not a 200 is a failure."""

    def __init__(self, proxy, model, workers=2):
        self.proxy, self.model = proxy, model
        self.stopping = threading.Event()
        self.failures: list[str] = []
        self.done = [0] * workers
        self.threads = [threading.Thread(target=self._run, args=(index,), daemon=True) for index in range(workers)]
        for thread in self.threads:
            thread.start()

    def _run(self, index):
        while not self.stopping.is_set():
            try:
                response = request(self.proxy.port, "POST", "/v1/chat/completions", chat_body(self.model, max_tokens=4), timeout=120)
                if response.status != 200:
                    self.failures.append(f"{response.status} {response.body[:300]!r}")
            except OSError as error:
                self.failures.append(repr(error))
            self.done[index] += 1

    def wait_for_fresh_requests(self, count=2):
        """Until every worker finished `count` more requests (so one started after this call)."""
        start = list(self.done)
        wait_until(lambda: all(done >= first + count for done, first in zip(self.done, start)), timeout=120,
                   message=f"{count} more requests from every worker")

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=150)
        assert not self.failures, self.failures


def test_a_front_finds_its_peers_by_a_dns_name_and_follows_the_answer_while_requests_run(start_proxy, hosts_file):
    hosts_file([f"127.0.0.2 {PEER_NAME}"])
    port = free_port()
    two = start_proxy(model_files=("tiny-a",), host="127.0.0.2", port=port)
    three = start_proxy(model_files=("tiny-a",), host="127.0.0.3", port=port)
    for peer in (two, three):  # loaded on both, so the front spreads its requests over both
        assert request(peer.port, "POST", "/v1/chat/completions", chat_body("tiny-a"), timeout=120, host=peer.host).status == 200
    front = start_proxy(model_files=(), peers={
        "pool": {"dns": PEER_NAME, "port": port, "resolve_seconds": 0.2, "check_seconds": 0.2}})
    front.wait_for_log(f"peer added peer=pool@127.0.0.2 url=http://127.0.0.2:{port} dns={PEER_NAME}", "peer up peer=pool@127.0.0.2",
                       timeout=30)
    assert peer_states(front, "tiny-a") == {"pool@127.0.0.2": "ready"}
    assert "pool@127.0.0.3" not in front.log()

    load = ChatLoad(front, "tiny-a")
    try:
        load.wait_for_fresh_requests()
        # A second address appears: a new peer, which gets requests too.
        hosts_file([f"127.0.0.2 {PEER_NAME}", f"127.0.0.3 {PEER_NAME}"])
        front.wait_for_log("peer added peer=pool@127.0.0.3", "peer up peer=pool@127.0.0.3", timeout=30)
        wait_until(lambda: served(three, "tiny-a") >= 3, timeout=120, message="the new peer serving the front's requests")
        # The first goes from the answer: the requests in flight to it finish, and it gets no new ones.
        hosts_file([f"127.0.0.3 {PEER_NAME}"])
        front.wait_for_log(f"peer removed peer=pool@127.0.0.2 url=http://127.0.0.2:{port}: no longer in dns {PEER_NAME}", timeout=30)
        load.wait_for_fresh_requests(3)
        before = served(two, "tiny-a")
        load.wait_for_fresh_requests(3)
        assert served(two, "tiny-a") == before, "the removed peer got requests after it left the answer"
    finally:
        load.stop()
    assert set(peer_states(front, "tiny-a")) == {"pool@127.0.0.3"}

    # The name stops resolving: the last answer is kept (and said once).
    hosts_file([])
    front.wait_for_log(f"cannot resolve peer name name=pool dns={PEER_NAME}", "keeping its 1 peer(s)", timeout=30)
    for _ in range(3):
        chat(front, "tiny-a")
    assert served(three, "tiny-a") >= 3
    assert front.log().count("cannot resolve peer name") == 1


def test_load_and_unload_on_the_front_go_to_the_peer_that_has_the_model(start_proxy):
    peer = start_proxy(model_files=("tiny-a", "tiny-b"), api_keys=["sk-client-key"], admin_api_keys=["sk-peer-admin"])
    front = start_proxy(model_files=("tiny-a",), peers={"gpu": {"url": peer.base_url, "api_key": "sk-peer-admin", "check_seconds": 0.2}})
    front.wait_for_log("peer up peer=gpu", timeout=30)

    loaded = request(front.port, "POST", "/models/load?wait=true", {"model": "tiny-b"}, timeout=120)
    assert loaded.status == 200, loaded.body
    assert loaded.json() == {"success": True, "model": "tiny-b", "state": "ready"}
    assert peer.child_for("tiny-b.gguf") is not None and front.child_for("tiny-b.gguf") is None
    front.wait_for_log("request POST /models/load?wait=true model=tiny-b status=200")  # the front's request log counts it
    wait_until(lambda: peer_states(front, "tiny-b") == {"gpu": "ready"}, timeout=30, message="tiny-b ready at the front")

    # The front's own model stays its own: loaded here, not on the peer.
    own = request(front.port, "POST", "/models/load?wait=true", {"model": "tiny-a"}, timeout=120)
    assert own.status == 200 and front.child_for("tiny-a.gguf") is not None and peer.child_for("tiny-a.gguf") is None

    unloaded = request(front.port, "POST", "/models/unload", {"model": "tiny-b"})
    assert unloaded.status == 200, unloaded.body
    assert unloaded.json()["success"] is True and unloaded.json()["state"] in ("unloading", "unloaded")
    wait_until(lambda: peer.child_for("tiny-b.gguf") is None, timeout=30, message="tiny-b stopped on the peer")

    missing = request(front.port, "POST", "/models/load", {"model": "nowhere"})
    assert missing.status == 404 and missing.json()["error"]["code"] == "model_not_found"
