"""A client that goes away mid-stream must stop the generation in llama-server.

Observed through the child's own /metrics: while the client reads, a request is processing;
after it closes, processing drops to zero long before the requested tokens could have been made.
"""
import json

from http_client import RawConnection, chat_body, encode_request, request, sse_events
from llama_metrics import metrics
from processes import wait_until

MAX_TOKENS = 15000  # minutes of generation for the tiny model: never reached if cancelled


def test_client_disconnect_stops_generation(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",), default_args=["--threads", "1", "--metrics"])
    connection = RawConnection.tcp(proxy.port)
    connection.send(encode_request("POST", "/v1/chat/completions",
                                   json.dumps(chat_body("tiny-a", max_tokens=MAX_TOKENS, stream=True, ignore_eos=True)).encode()))
    response = connection.read_head()
    assert response.status == 200
    events = sse_events(connection, response)
    for _ in range(5):
        assert next(events) != b"[DONE]"

    child = proxy.child_for("tiny-a.gguf")
    assert child is not None
    # Still generating while we read: the proxy relays the stream, it does not buffer it.
    assert metrics(child)["requests_processing"] == 1
    connection.close()

    wait_until(lambda: metrics(child)["requests_processing"] == 0, timeout=30,
               message="llama-server to stop generating after the client left")
    assert metrics(child)["tokens_predicted_total"] < MAX_TOKENS
    # And the model serves the next request normally.
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a")).status == 200
