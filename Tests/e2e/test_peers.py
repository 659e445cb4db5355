"""Peers: a front proxy that serves the models of two other Llama Smart Proxies, each with its own
pool of REAL llama-servers, all on loopback. The front merges their `/v1/models` with their
states, sends a request to the peer that has the model loaded (else one that lists it), skips a
peer that is down until it is back, and two proxies that peer each other never loop."""
from http_client import chat_body, request
from processes import wait_until
from proxy_process import free_port


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
    assert served(two, "tiny-a") == 4 and one.child_for("tiny-a.gguf") is None
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
    assert served(two, "tiny-b") == 1
    two.stop()
    chat(front, "tiny-a")
    assert served(one, "tiny-a") == 1
    front.wait_for_log("peer down peer=two", timeout=30)
    wait_until(lambda: "tiny-b" not in listing(front), timeout=30, message="tiny-b gone from the front's list")
    assert request(front.port, "POST", "/v1/chat/completions", chat_body("tiny-b")).status == 404
    two.start()
    front.wait_for_log("peer up peer=two", "(back)", timeout=30)
    chat(front, "tiny-b")
    assert served(two, "tiny-b") == 2
