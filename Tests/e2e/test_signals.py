"""Process hygiene: no llama-server survives the proxy, however it ends."""
import json
import signal

from http_client import RawConnection, chat_body, encode_request, request, sse_events
from llama_metrics import metrics
from processes import is_alive, wait_until


def load(proxy, model):
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body(model)).status == 200


def test_sigkill_leaves_no_llama_server(start_proxy):
    proxy = start_proxy(max_loaded=2)
    load(proxy, "tiny-a")
    load(proxy, "tiny-b")
    pids = [child.pid for child in proxy.children()]
    assert len(pids) == 2

    proxy.signal(signal.SIGKILL)
    proxy.wait_exit()
    wait_until(lambda: not any(is_alive(pid) for pid in pids), timeout=15,
               message=f"llama-server children {pids} to die with the proxy")


def test_sigterm_lets_the_stream_finish_then_exits_cleanly(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2,
                        default_args=["--threads", "1", "--metrics"])
    load(proxy, "tiny-b")
    with RawConnection.tcp(proxy.port) as connection:
        connection.send(encode_request("POST", "/v1/chat/completions",
                                       json.dumps(chat_body("tiny-a", max_tokens=2500, stream=True, ignore_eos=True)).encode()))
        response = connection.read_head()
        assert response.status == 200
        events = sse_events(connection, response)
        first = next(events)
        assert first != b"[DONE]"
        child = proxy.child_for("tiny-a.gguf")
        assert metrics(child)["requests_processing"] == 1  # the stream is really in flight

        proxy.signal(signal.SIGTERM)
        rest = list(events)

    assert rest[-1] == b"[DONE]"
    last_chunk = json.loads(rest[-2])
    assert last_chunk["choices"][0]["finish_reason"] == "length"
    assert proxy.wait_exit(timeout=30) == 0
    assert proxy.children() == []


def test_sigterm_when_idle_exits_zero_and_stops_children(start_proxy):
    proxy = start_proxy(max_loaded=2)
    load(proxy, "tiny-a")
    pids = [child.pid for child in proxy.children()]
    proxy.signal(signal.SIGTERM)
    assert proxy.wait_exit(timeout=30) == 0
    assert not any(is_alive(pid) for pid in pids)


def test_sighup_reloads_the_configuration_and_keeps_it_when_the_new_one_is_bad(start_proxy):
    proxy = start_proxy(max_loaded=2)
    load(proxy, "tiny-a")
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("reloaded-alias")).status == 404

    proxy.config["models"] = {"configured": {"path": str(proxy.models_dir / "tiny-b.gguf"), "aliases": ["reloaded-alias"]}}
    proxy.config_path.write_text(json.dumps(proxy.config))
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: request(proxy.port, "POST", "/v1/chat/completions", chat_body("reloaded-alias")).status == 200,
               timeout=15, message="the alias from the reloaded configuration to answer")

    proxy.config_path.write_text("{ not json")
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: "reload failed" in proxy.log(), timeout=10, message="the bad reload to be logged")
    # The running configuration stays: the alias still answers and the proxy keeps serving.
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("reloaded-alias")).status == 200
    assert request(proxy.port, "GET", "/health").status == 200
