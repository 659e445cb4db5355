"""Chat, streaming chat, completions and embeddings through the proxy to real llama-servers."""
import json

from http_client import RawConnection, chat_body, encode_request, request, sse_events


def test_chat_completion(start_proxy):
    proxy = start_proxy()
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a", max_tokens=12))
    assert response.status == 200
    assert response.header("Content-Type").startswith("application/json")
    answer = response.json()
    assert answer["object"] == "chat.completion"
    assert answer["usage"]["completion_tokens"] == 12
    assert isinstance(answer["choices"][0]["message"]["content"], str)


def test_streamed_chat_arrives_event_by_event_and_ends_with_done(start_proxy):
    proxy = start_proxy()
    with RawConnection.tcp(proxy.port) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions",
                                       json.dumps(chat_body("tiny-a", max_tokens=40, stream=True)).encode()))
        response = connection.read_head()
        assert response.status == 200
        assert response.header("Content-Type").startswith("text/event-stream")
        events = list(sse_events(connection, response))
    assert events[-1] == b"[DONE]"
    chunks = [json.loads(event) for event in events[:-1]]
    assert all(chunk["object"] == "chat.completion.chunk" for chunk in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "length"
    # Many separate events, not one lump: the stream was relayed as it was produced.
    assert len(chunks) > 10


def test_completions(start_proxy):
    proxy = start_proxy()
    response = request(proxy.port, "POST", "/v1/completions",
                       {"model": "tiny-b", "prompt": "Once upon a time", "max_tokens": 6})
    assert response.status == 200, response.body
    answer = response.json()
    assert answer["object"] == "text_completion"
    assert isinstance(answer["choices"][0]["text"], str)


def test_embeddings_through_a_configured_embedding_model(start_proxy):
    proxy = start_proxy(models={"tiny-embed": {"path": "models/tiny-c.gguf", "aliases": ["embed"],
                                                "args": ["--embeddings", "--pooling", "mean"]}},
                        model_files=("tiny-a", "tiny-c"))
    response = request(proxy.port, "POST", "/v1/embeddings", {"model": "embed", "input": ["hello", "world"]})
    assert response.status == 200, response.body
    data = response.json()["data"]
    assert len(data) == 2
    assert len(data[0]["embedding"]) == 64
    assert data[0]["embedding"] != data[1]["embedding"]
