"""The management API against real llama-servers: router mode's POST /models/load and
/models/unload, llama-swap's /running and /unload, GET /admin/status, the GET /events stream
(snapshot first, then loading, ready, unloading with its reason, failed), the admin key, and
OpenAI-shaped errors for bad input."""
import concurrent.futures
import json
import re
import signal

from event_stream import EventStream
from http_client import RawConnection, chat_body, encode_request, request, sse_events
from processes import is_alive, wait_until
from test_access_control import ADMIN_KEY, CLIENT_KEY, INVALID_API_KEY, start_with_keys
from test_faults import faulty_llama_server


def post(proxy, target, body, headers=None, timeout=120):
    return request(proxy.port, "POST", target, body, headers=headers, timeout=timeout)


def running(proxy, headers=None) -> dict:
    response = request(proxy.port, "GET", "/running", headers=headers)
    assert response.status == 200, response.body
    return {entry["model"]: entry["state"] for entry in response.json()["running"]}


def status(proxy, headers=None) -> dict:
    response = request(proxy.port, "GET", "/admin/status", headers=headers)
    assert response.status == 200, response.body
    assert response.header("Content-Type") == "application/json"
    return response.json()


def model_status(proxy, model_id) -> dict:
    return next(model for model in status(proxy)["models"] if model["id"] == model_id)


def test_router_mode_loads_and_unloads_and_the_event_stream_sees_every_step(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=1)
    events = EventStream(proxy.port)
    try:
        assert events.response.status == 200
        assert events.response.header("Content-Type") == "text/event-stream"
        snapshot = events.wait_for(lambda event: True, what="the snapshot")
        assert snapshot["type"] == "snapshot" and snapshot["models"] == []  # nothing loaded or asked for yet

        answer = post(proxy, "/models/load", {"model": "tiny-a"})
        assert answer.status == 200, answer.body
        assert answer.json()["success"] is True and answer.json()["model"] == "tiny-a"
        loading = events.wait_for_state("tiny-a", "loading")
        events.wait_for_state("tiny-a", "ready", after=events.index_of(loading))
        assert running(proxy) == {"tiny-a": "ready"}

        # ?wait=true answers once the model is ready; the one loaded before makes room for it.
        answer = post(proxy, "/models/load?wait=true", {"model": "tiny-b"})
        assert answer.status == 200, answer.body
        assert answer.json() == {"success": True, "model": "tiny-b", "state": "ready"}
        evicted = events.wait_for_state("tiny-a", "unloading", reason="evicted")
        events.wait_for_state("tiny-a", "unloaded", after=events.index_of(evicted))
        assert running(proxy) == {"tiny-b": "ready"}
        pid = model_status(proxy, "tiny-b")["pid"]
        assert is_alive(pid)

        answer = post(proxy, "/models/unload", {"model": "tiny-b"})
        assert answer.status == 200, answer.body
        assert answer.json()["success"] is True and answer.json()["state"] in ("unloading", "unloaded")
        requested = events.wait_for_state("tiny-b", "unloading", reason="requested")
        events.wait_for_state("tiny-b", "unloaded", after=events.index_of(requested))
        proxy.wait_for_log(f"unload model=tiny-b pid={pid} reason=requested")
        wait_until(lambda: not is_alive(pid), message="tiny-b's llama-server to exit")
        assert running(proxy) == {}
        # Unloading what is not loaded succeeds (nothing to do), as in router mode.
        assert post(proxy, "/models/unload", {"model": "tiny-b"}).json()["state"] == "unloaded"
        # A request afterwards simply loads it again.
        assert post(proxy, "/v1/chat/completions", chat_body("tiny-b", max_tokens=2)).status == 200
    finally:
        events.close()


def test_llama_swap_shapes_running_and_unload(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2)
    for model in ("tiny-a", "tiny-b"):
        assert post(proxy, "/models/load?wait=true", {"model": model}).status == 200
    assert running(proxy) == {"tiny-a": "ready", "tiny-b": "ready"}
    one = request(proxy.port, "GET", "/unload/tiny-a")
    assert (one.status, one.body) == (200, b"OK")
    wait_until(lambda: running(proxy) == {"tiny-b": "ready"}, timeout=60, message="tiny-a to be unloaded")
    assert post(proxy, "/models/load?wait=true", {"model": "tiny-a"}).status == 200
    every = request(proxy.port, "POST", "/unload")
    assert (every.status, every.body) == (200, b"OK")
    wait_until(lambda: running(proxy) == {}, timeout=60, message="every model to be unloaded")
    assert request(proxy.port, "GET", "/unload").body == b"OK"  # GET as well, with nothing loaded
    assert len(re.findall(r"reason=requested", proxy.log())) == 3


def test_admin_status_reports_models_devices_agents_and_recent_requests(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=1, limits={"recent_requests": 3})
    assert post(proxy, "/v1/chat/completions", chat_body("tiny-a", max_tokens=2)).status == 200
    report = status(proxy)
    assert set(report) >= {"version", "uptime_seconds", "models", "devices", "agents", "recent_requests"}
    models = {model["id"]: model for model in report["models"]}
    assert set(models) >= {"tiny-a", "tiny-b"}
    loaded = models["tiny-a"]
    assert loaded["state"] == "ready"
    assert loaded["pid"] == proxy.child_for("tiny-a.gguf").pid
    assert loaded["device"] == "host"
    assert loaded["memory_estimate_mib"] > 0 and loaded["memory_mib"] > 0
    assert loaded["uptime_seconds"] >= 0 and loaded["last_used_seconds_ago"] >= 0
    assert (loaded["in_flight"], loaded["queued"], loaded["restarts"]) == (0, 0, 0)
    assert loaded["last_load_seconds"] > 0
    assert loaded["last_error"] is None and loaded["stop_reason"] is None and loaded["pinned"] is False
    idle = models["tiny-b"]
    assert (idle["state"], idle["pid"], idle["uptime_seconds"], idle["last_used_seconds_ago"]) == ("unloaded", None, None, None)
    [host] = report["devices"]  # the default device: the machine's memory less a reserve
    assert (host["name"], host["used_mib"], host["models"]) == ("host", loaded["memory_mib"], ["tiny-a"])
    assert host["budget_mib"] > host["used_mib"]
    assert report["agents"] == []
    recent = report["recent_requests"]
    assert recent[0]["method"] == "POST" and recent[0]["path"] == "/v1/chat/completions"
    assert (recent[0]["model"], recent[0]["status"]) == ("tiny-a", 200)
    for _ in range(4):
        post(proxy, "/v1/chat/completions", {"model": "nope"})
    recent = status(proxy)["recent_requests"]
    assert len(recent) == 3  # limits.recent_requests
    assert all(entry["status"] == 404 and entry["note"] == "model_not_found" for entry in recent)


def test_a_failed_load_is_an_event_with_its_error_and_the_status_keeps_it(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"),
                        llama_server=faulty_llama_server(tmp_path, llama_server, "tiny-b.gguf", "exit"),
                        timeouts={"load_seconds": 60, "queue_seconds": 60, "restart_backoff_max_seconds": 0})
    events = EventStream(proxy.port)
    try:
        events.wait_for(lambda event: event["type"] == "snapshot", what="the snapshot")
        answer = post(proxy, "/models/load?wait=true", {"model": "tiny-b"})
        assert answer.status == 503, answer.body
        assert answer.json()["error"]["code"] == "model_start_failed"
        failed = events.wait_for_state("tiny-b", "failed")
        assert "failed to start" in failed["error"]
        assert "failed to start" in model_status(proxy, "tiny-b")["last_error"]
    finally:
        events.close()


def test_a_busy_model_finishes_its_requests_before_it_unloads(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",), max_loaded=1)
    assert post(proxy, "/models/load?wait=true", {"model": "tiny-a"}).status == 200
    pid = model_status(proxy, "tiny-a")["pid"]
    with RawConnection.tcp(proxy.port, timeout=120) as stream:
        # A few seconds of generation, which the client reads only after the unload was asked for.
        stream.send(encode_request("POST", "/v1/chat/completions", json.dumps(
            chat_body("tiny-a", max_tokens=3000, stream=True, ignore_eos=True)).encode()))
        head = stream.read_head()
        assert head.status == 200
        wait_until(lambda: model_status(proxy, "tiny-a")["in_flight"] == 1, message="the stream to be in flight")
        answer = post(proxy, "/models/unload", {"model": "tiny-a"})
        assert answer.json() == {"success": True, "model": "tiny-a", "state": "unloading"}
        draining = model_status(proxy, "tiny-a")
        assert (draining["state"], draining["stop_reason"], draining["in_flight"]) == ("ready", "requested", 1)
        assert is_alive(pid)
        # A request that comes meanwhile waits, and is answered by a fresh load after the unload.
        later = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        answer_later = later.submit(post, proxy, "/v1/chat/completions", chat_body("tiny-a", max_tokens=2), None, 300)
        wait_until(lambda: model_status(proxy, "tiny-a")["queued"] == 1, message="the later request to wait in the queue")
        # The stream in flight is answered to its end.
        chunks = [json.loads(data) for data in sse_events(stream, head) if data != b"[DONE]"]
        assert any(choice.get("finish_reason") == "length" for chunk in chunks for choice in chunk.get("choices", []))
    proxy.wait_for_log(f"unload model=tiny-a pid={pid} reason=requested")
    wait_until(lambda: not is_alive(pid), message="tiny-a's llama-server to exit")
    assert answer_later.result(timeout=300).status == 200
    later.shutdown()
    assert model_status(proxy, "tiny-a")["pid"] not in (None, pid)
    assert model_status(proxy, "tiny-a")["restarts"] == 1


def test_the_admin_key_guards_the_management_api(start_proxy):
    proxy = start_with_keys(start_proxy)
    admin = [("Authorization", f"Bearer {ADMIN_KEY}")]
    client = [("Authorization", f"Bearer {CLIENT_KEY}")]
    for method, target, body in [("POST", "/models/load", {"model": "tiny-a"}), ("POST", "/models/unload", {"model": "tiny-a"}),
                                 ("GET", "/running", None), ("GET", "/unload", None), ("POST", "/unload/tiny-a", None),
                                 ("GET", "/admin/status", None), ("GET", "/events", None)]:
        for headers in (None, client):
            response = request(proxy.port, method, target, body, headers=headers)
            assert response.status == 401, (method, target, response.body)
            assert response.json() == INVALID_API_KEY
    assert running(proxy, headers=admin) == {}
    assert status(proxy, headers=admin)["models"]
    events = EventStream(proxy.port, headers=admin)
    try:
        assert events.response.status == 200
        assert events.wait_for(lambda event: True)["type"] == "snapshot"
    finally:
        events.close()
    assert post(proxy, "/models/load?wait=true", {"model": "tiny-a"}, headers=admin).status == 200
    # The status page itself is open: it asks for the key.
    page = request(proxy.port, "GET", "/")
    assert page.status == 200 and page.header("Content-Type") == "text/html; charset=utf-8"


def test_bad_input_gets_openai_shaped_errors(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",))
    cases = [
        ("POST", "/models/load", {"model": "nope"}, 404, "model_not_found"),
        ("POST", "/models/unload", {"model": "nope"}, 404, "model_not_found"),
        ("POST", "/models/load", {}, 400, "missing_model"),
        ("POST", "/models/load", b"{not json", 400, "invalid_json"),
        ("POST", "/models/unload", b"", 400, "invalid_request"),
        ("POST", "/models/load", {"model": 3}, 400, "missing_model"),
        ("GET", "/unload/nope", None, 404, "model_not_found"),
        ("GET", "/unload/%zz", None, 400, "invalid_model_name"),
        ("GET", "/models/load", None, 404, "not_found"),
        ("PUT", "/running", None, 405, "method_not_allowed"),
    ]
    for method, target, body, status_code, code in cases:
        response = request(proxy.port, method, target, body)
        assert response.status == status_code, (method, target, response.body)
        error = response.json()["error"]
        assert error["code"] == code and error["message"], (method, target, error)
    head = request(proxy.port, "HEAD", "/events")  # the stream's head only, not a stream that never ends
    assert (head.status, head.header("Content-Type"), head.body) == (200, "text/event-stream", b"")
    assert request(proxy.port, "GET", "/health").status == 200  # and the server keeps going


def test_an_open_event_stream_does_not_hold_up_a_graceful_stop(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",),
                        timeouts={"load_seconds": 60, "queue_seconds": 60, "shutdown_grace_seconds": 3600})
    events = EventStream(proxy.port)
    try:
        events.wait_for(lambda event: event["type"] == "snapshot", what="the snapshot")
        proxy.signal(signal.SIGTERM)
        # Well within the hour of grace: the stream is ended (properly) at once.
        assert proxy.wait_exit(timeout=120) == 0
        assert events.ended.wait(timeout=60)
        assert events.clean_end
    finally:
        events.close()


def test_events_show_load_progress_ttl_unloads_and_an_unloaded_load(start_proxy, tmp_path, llama_server):
    # tiny-b never becomes ready (it loads for ever): progress events come at each heartbeat.
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2, ttl_seconds=1,
                        llama_server=faulty_llama_server(tmp_path, llama_server, "tiny-b.gguf", "hang"),
                        timeouts={"load_seconds": 600, "queue_seconds": 600, "events_heartbeat_seconds": 0.2})
    events = EventStream(proxy.port)
    try:
        events.wait_for(lambda event: event["type"] == "snapshot", what="the snapshot")
        # The idle TTL's unload comes from a timer, not a request: the stream sees it too.
        assert post(proxy, "/v1/chat/completions", chat_body("tiny-a", max_tokens=2)).status == 200
        ready = events.wait_for_state("tiny-a", "ready")
        ttl = events.wait_for_state("tiny-a", "unloading", reason="ttl", after=events.index_of(ready))
        events.wait_for_state("tiny-a", "unloaded", after=events.index_of(ttl))

        assert post(proxy, "/models/load", {"model": "tiny-b"}).json()["state"] == "loading"
        loading = events.wait_for_state("tiny-b", "loading")
        progress = events.wait_for(lambda event: event["type"] == "progress" and event["model"] == "tiny-b"
                                   and event["elapsed_seconds"] > 0, after=events.index_of(loading), what="load progress")
        assert progress["state"] == "loading"
        # Unloading a model that is still loading kills it.
        assert post(proxy, "/models/unload", {"model": "tiny-b"}).json()["state"] == "unloading"
        killed = events.wait_for_state("tiny-b", "unloading", reason="requested", after=events.index_of(progress))
        events.wait_for_state("tiny-b", "unloaded", after=events.index_of(killed))
        proxy.wait_for_log("load cancelled model=tiny-b", "reason=requested")
        assert running(proxy) == {}
    finally:
        events.close()
