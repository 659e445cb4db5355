"""The official openai Python package, pointed at the proxy."""
import openai
import pytest


@pytest.fixture
def client(start_proxy):
    proxy = start_proxy()
    with openai.OpenAI(base_url=f"{proxy.base_url}/v1", api_key="not-needed", max_retries=0, timeout=60) as client:
        yield client


def test_list_models(client):
    ids = {model.id for model in client.models.list()}
    assert {"tiny-a", "tiny-b"} <= ids


def test_chat(client):
    completion = client.chat.completions.create(
        model="tiny-a", messages=[{"role": "user", "content": "hi"}], max_tokens=8)
    assert completion.choices[0].message.role == "assistant"
    assert isinstance(completion.choices[0].message.content, str)
    assert completion.usage.completion_tokens == 8


def test_streamed_chat(client):
    stream = client.chat.completions.create(
        model="tiny-b", messages=[{"role": "user", "content": "hi"}], max_tokens=12, stream=True)
    chunks = list(stream)
    assert len(chunks) > 2
    assert chunks[-1].choices[0].finish_reason == "length"
    assert any(chunk.choices and chunk.choices[0].delta.content for chunk in chunks)


def test_unknown_model_raises_not_found(client):
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
    assert raised.value.code == "model_not_found"
