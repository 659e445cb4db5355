"""Errors are answered in OpenAI's shape {"error": {"message", "type", "code"}}."""
import pytest

from http_client import chat_body, request


def error_of(response, status: int) -> dict:
    assert response.status == status, (response.status, response.body)
    assert response.header("Content-Type").startswith("application/json")
    error = response.json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["type"], str)
    assert isinstance(error["code"], (str, type(None)))
    return error


def test_unknown_model_is_404_naming_close_ids(start_proxy):
    proxy = start_proxy()
    error = error_of(request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-aa")), 404)
    assert error["code"] == "model_not_found"
    assert "tiny-a" in error["message"]
    assert proxy.children() == []


def test_non_json_body_is_400(start_proxy):
    proxy = start_proxy()
    error_of(request(proxy.port, "POST", "/v1/chat/completions", b"this is not json"), 400)
    error_of(request(proxy.port, "POST", "/v1/chat/completions", b'{"model": "tiny-a", '), 400)


def test_missing_model_is_400(start_proxy):
    proxy = start_proxy()
    error_of(request(proxy.port, "POST", "/v1/chat/completions", {"messages": []}), 400)
    error_of(request(proxy.port, "POST", "/v1/chat/completions", {"model": 42, "messages": []}), 400)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "models/tiny-a.gguf", "tiny-a.gguf"])
def test_model_names_are_never_paths(start_proxy, name):
    proxy = start_proxy()
    error = error_of(request(proxy.port, "POST", "/v1/chat/completions", chat_body(name)), 404)
    assert error["code"] == "model_not_found"
    assert proxy.children() == []


def test_broken_model_file_is_503_with_llama_server_log_and_proxy_keeps_serving(start_proxy):
    def write_broken_model(proxy):
        (proxy.models_dir / "broken.gguf").write_bytes(b"GGUF\x03\x00\x00\x00" + b"\xde\xad\xbe\xef" * 64)

    proxy = start_proxy(before_start=write_broken_model)
    for _ in range(2):  # a failed load must not leave the model stuck
        error = error_of(request(proxy.port, "POST", "/v1/chat/completions", chat_body("broken")), 503)
        assert "failed to load model" in error["message"]
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a")).status == 200
    assert request(proxy.port, "GET", "/health").status == 200


def test_unknown_route_is_404(start_proxy):
    proxy = start_proxy()
    response = request(proxy.port, "GET", "/no/such/route")
    assert response.status == 404
