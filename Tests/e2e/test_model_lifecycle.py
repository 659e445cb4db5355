"""Loading on demand, eviction with max_loaded 1, and the /v1/models listing."""
from http_client import chat_body, request
from processes import wait_until


def models_by_id(proxy) -> dict:
    response = request(proxy.port, "GET", "/v1/models")
    assert response.status == 200
    listing = response.json()
    assert listing["object"] == "list"
    return {model["id"]: model for model in listing["data"]}


def states(proxy) -> dict:
    return {model_id: model["state"] for model_id, model in models_by_id(proxy).items()}


def chat(proxy, model):
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body(model))
    assert response.status == 200, response.body
    assert response.json()["choices"][0]["message"]["role"] == "assistant"


def test_health_answers_without_loading_anything(start_proxy):
    proxy = start_proxy()
    assert request(proxy.port, "GET", "/health").status == 200
    assert proxy.children() == []
    assert set(states(proxy).values()) == {"unloaded"}


def test_models_listing_has_openai_shape_with_state_and_aliases(start_proxy):
    proxy = start_proxy(models={"tiny-chat": {"path": "models/tiny-a.gguf", "aliases": ["chat", "gpt-4o-mini"]}})
    models = models_by_id(proxy)
    assert {"tiny-b", "tiny-chat"} <= set(models)
    # tiny-a.gguf is both configured (as tiny-chat) and discovered: listed as its own id or,
    # when the proxy folds the file into the configured entry, as one of its aliases.
    assert "tiny-a" in models or "tiny-a" in models["tiny-chat"]["aliases"]
    for model in models.values():
        assert model["object"] == "model"
        assert isinstance(model["owned_by"], str)
        assert isinstance(model["created"], int)
        assert model["state"] in ("unloaded", "loading", "ready")
        assert isinstance(model["aliases"], list)
    assert models["tiny-chat"]["aliases"][:2] == ["chat", "gpt-4o-mini"]


def test_alias_routes_to_its_model(start_proxy):
    proxy = start_proxy(models={"tiny-chat": {"path": "models/tiny-a.gguf", "aliases": ["gpt-4o-mini"]}})
    chat(proxy, "gpt-4o-mini")
    assert states(proxy)["tiny-chat"] == "ready"


def test_max_loaded_one_swaps_a_for_b_and_back(start_proxy):
    proxy = start_proxy(max_loaded=1)

    chat(proxy, "tiny-a")
    assert states(proxy)["tiny-a"] == "ready"
    first_a = proxy.child_for("tiny-a.gguf")
    assert first_a is not None

    chat(proxy, "tiny-b")
    listing = states(proxy)
    assert listing["tiny-a"] == "unloaded"
    assert listing["tiny-b"] == "ready"
    wait_until(lambda: proxy.child_for("tiny-a.gguf") is None, message="tiny-a's llama-server to exit")
    assert proxy.child_for("tiny-b.gguf") is not None

    chat(proxy, "tiny-a")
    listing = states(proxy)
    assert listing["tiny-a"] == "ready"
    assert listing["tiny-b"] == "unloaded"
    second_a = proxy.child_for("tiny-a.gguf")
    assert second_a is not None and second_a.pid != first_a.pid
    wait_until(lambda: proxy.child_for("tiny-b.gguf") is None, message="tiny-b's llama-server to exit")


def test_max_loaded_two_keeps_both(start_proxy):
    proxy = start_proxy(max_loaded=2, model_files=("tiny-a", "tiny-b", "tiny-c"))
    chat(proxy, "tiny-a")
    chat(proxy, "tiny-b")
    assert states(proxy)["tiny-a"] == "ready" and states(proxy)["tiny-b"] == "ready"
    # A third model evicts the least recently used one (tiny-a).
    chat(proxy, "tiny-c")
    listing = states(proxy)
    assert (listing["tiny-a"], listing["tiny-b"], listing["tiny-c"]) == ("unloaded", "ready", "ready")
    wait_until(lambda: proxy.child_for("tiny-a.gguf") is None, message="tiny-a's llama-server to exit")
