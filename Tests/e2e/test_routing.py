"""Routing beyond JSON bodies: multipart/form-data by its `model` field, GET/HEAD by `?model=`, and
`/upstream/<model>/<path>` straight to a model's server."""
import json

from http_client import RawConnection, request
from test_passthrough import ECHO_UPSTREAM

BOUNDARY = "----LspBoundary7MA4YWxkTrZu0gW"
# Audio-like bytes with CRLFs, a near-boundary and invalid UTF-8: they must arrive untouched.
AUDIO = b"RIFF\x00\x01\xff\xfeWAVE\r\n--" + BOUNDARY[:-1].encode() + b"\r\n\r\n\x80\x81 data\r\n"


def form(*parts) -> bytes:
    """parts: (headers text, content bytes), in the order given."""
    body = b"preamble, ignored\r\n"
    for headers, content in parts:
        body += f"--{BOUNDARY}\r\n{headers}\r\n\r\n".encode() + content + b"\r\n"
    return body + f"--{BOUNDARY}--\r\nepilogue".encode()


def form_headers(content_type=f"multipart/form-data; boundary=\"{BOUNDARY}\""):
    return [("Content-Type", content_type)]


def transcription_form(model: bytes) -> bytes:
    return form(('Content-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav', AUDIO),
                ('Content-Disposition: form-data; name="response_format"', b"json"),
                ('Content-Disposition: form-data; name="model"', model),
                ('Content-Disposition: form-data; name="temperature"', b"0"))


def error_code(response):
    return response.json()["error"]["code"]


def test_a_multipart_form_is_routed_by_its_model_field_and_passes_byte_for_byte(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM)
    for path, model in (("/v1/audio/transcriptions", b"tiny-b"), ("/v1/images/edits", b"tiny-a"), ("/anything", b"tiny-b")):
        body = transcription_form(model)
        response = request(proxy.port, "POST", path, body, headers=form_headers())
        assert response.status == 200, response.body
        assert response.body == body  # the echo upstream answers with what it received
        assert response.header("Content-Type") == form_headers()[0][1]
        assert response.header("X-Upstream-Alias") == model.decode()
        assert response.header("X-Request-Target") == path
    proxy.wait_for_log("request POST /v1/audio/transcriptions model=tiny-b status=200")


def test_a_form_without_a_model_or_with_a_broken_boundary_gets_a_400(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM)
    no_model = form(('Content-Disposition: form-data; name="file"; filename="a.wav"', AUDIO))
    response = request(proxy.port, "POST", "/v1/audio/transcriptions", no_model, headers=form_headers())
    assert response.status == 400
    assert error_code(response) == "missing_model"
    assert "multipart/form-data body has no \"model\" field" in response.json()["error"]["message"]
    response = request(proxy.port, "POST", "/v1/audio/transcriptions", transcription_form(b"tiny-a"),
                       headers=form_headers("multipart/form-data"))
    assert response.status == 400
    assert error_code(response) == "invalid_multipart"
    response = request(proxy.port, "POST", "/v1/audio/transcriptions", transcription_form(b"no-such-model"), headers=form_headers())
    assert response.status == 404 and error_code(response) == "model_not_found"
    assert proxy.children() == []


def test_gets_with_a_model_parameter_and_upstream_paths_reach_that_model(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM, max_loaded=2)
    for method, target, alias, forwarded in [
        ("GET", "/props?model=tiny-b", "tiny-b", "/props?model=tiny-b"),
        ("HEAD", "/slots?model=tiny-a&x=1", "tiny-a", "/slots?model=tiny-a&x=1"),
        ("GET", "/upstream/tiny-b/slots?id_slot=0", "tiny-b", "/slots?id_slot=0"),
        ("GET", "/upstream/tiny%2Da", "tiny-a", "/"),
        ("HEAD", "/upstream/tiny-a/health", "tiny-a", "/health"),
        ("DELETE", "/upstream/tiny-b/slots/0", "tiny-b", "/slots/0"),
    ]:
        response = request(proxy.port, method, target)
        assert response.status == 200, (target, response.body)
        assert response.header("X-Upstream-Alias") == alias, target
        assert response.header("X-Request-Method") == method, target
        assert response.header("X-Request-Target") == forwarded, target
        if method == "HEAD":
            assert response.body == b"" and response.header("Content-Length") == "15"
    # Any method and body goes through /upstream unchanged; the log names the client's target.
    body = b'{"not": "a model request", "model": "tiny-b"}'
    response = request(proxy.port, "PUT", "/upstream/tiny-a/custom?q=%20", body)
    assert response.status == 200 and response.body == body
    assert response.header("X-Upstream-Alias") == "tiny-a"
    assert response.header("X-Request-Target") == "/custom?q=%20"
    proxy.wait_for_log("request PUT /upstream/tiny-a/custom?q=%20 model=tiny-a status=200")
    # The proxy's own routes keep their own meaning.
    assert json.loads(request(proxy.port, "GET", "/health?model=tiny-a").body) == {"status": "ok"}
    assert request(proxy.port, "GET", "/v1/models?model=tiny-a").json()["object"] == "list"


def test_unknown_and_malformed_model_names_get_openai_shaped_errors(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM)
    for method, target, status, code in [
        ("GET", "/props?model=no-such-model", 404, "model_not_found"),
        ("HEAD", "/props?model=no-such-model", 404, None),
        ("GET", "/upstream/no-such-model/props", 404, "model_not_found"),
        ("POST", "/upstream/no-such-model/v1/chat/completions", 404, "model_not_found"),
        ("GET", "/upstream/", 400, "invalid_model_name"),
        ("GET", "/upstream/%zz/props", 400, "invalid_model_name"),
        ("GET", "/props?model=", 400, "invalid_model_name"),
    ]:
        response = request(proxy.port, method, target, b"" if method == "POST" else None)
        assert response.status == status, (target, response.body)
        if code:
            assert error_code(response) == code, target
        else:
            assert response.body == b""
    assert request(proxy.port, "GET", "/props").status == 404  # no model named: not routed
    assert proxy.children() == []


def test_a_real_llama_server_answers_its_own_endpoints(start_proxy, tmp_path):
    # Its own static pages, as its web UI is served (this build of llama-server embeds no UI
    # assets, so `--path` stands in for them; config.json's default_args pass --no-webui).
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_bytes(b"<!doctype html><title>child page</title>")
    proxy = start_proxy(default_args=["--threads", "1", "--path", str(site)])
    props = request(proxy.port, "GET", "/props?model=tiny-a", timeout=120)
    assert props.status == 200, props.body
    assert "default_generation_settings" in props.json()
    [child] = proxy.children()
    assert child.model_path.endswith("tiny-a.gguf")
    health = request(proxy.port, "GET", "/upstream/tiny-a/health")
    assert health.status == 200 and health.json()["status"] == "ok"
    upstream_props = request(proxy.port, "GET", "/upstream/tiny-a/props")
    assert upstream_props.status == 200 and upstream_props.json().keys() == props.json().keys()
    for target in ("/upstream/tiny-a/props", "/props?model=tiny-a", "/upstream/tiny-a/health"):
        head = request(proxy.port, "HEAD", target)
        assert head.status == 200 and head.body == b"", target
    with RawConnection.tcp(proxy.port, timeout=60) as connection:
        for target in ("/upstream/tiny-a/", "/upstream/tiny-a/index.html"):
            page = connection.request("GET", target)
            assert page.status == 200, (target, page.body)
            assert page.header("Content-Type").startswith("text/html")
            assert page.body == b"<!doctype html><title>child page</title>"
    # A transcription form reaches tiny-a's server (which has no audio model: its answer, not the proxy's).
    answer = request(proxy.port, "POST", "/v1/audio/transcriptions", transcription_form(b"tiny-a"), headers=form_headers())
    assert answer.status != 400 or error_code(answer) not in ("missing_model", "invalid_multipart")
    proxy.wait_for_log(f"request POST /v1/audio/transcriptions model=tiny-a status={answer.status}")
    assert [child.pid for child in proxy.children()] == [child.pid]


def test_routes_to_a_model_need_a_client_key_when_keys_are_set(start_proxy):
    proxy = start_proxy(llama_server=ECHO_UPSTREAM, api_keys=["sk-client-key-1"])
    for method, target, body, headers in [("GET", "/upstream/tiny-a/props", None, []), ("GET", "/props?model=tiny-a", None, []),
                                          ("POST", "/v1/audio/transcriptions", transcription_form(b"tiny-a"), form_headers())]:
        refused = request(proxy.port, method, target, body, headers=headers)
        assert refused.status == 401 and error_code(refused) == "invalid_api_key", target
        allowed = request(proxy.port, method, target, body, headers=headers + [("Authorization", "Bearer sk-client-key-1")])
        assert allowed.status == 200, target
        # The proxy's credential is not forwarded to the model.
        assert allowed.header("X-Upstream-Alias") == "tiny-a"
    echoed = request(proxy.port, "GET", "/upstream/tiny-a/x", headers=[("x-api-key", "sk-client-key-1"), ("X-Echo-Headers", "1")])
    assert "x-api-key" not in echoed.header("X-Request-Header-Names").split(",")


def test_request_filters_leave_forms_and_upstream_requests_as_they_came(start_proxy):
    def prepare(proxy):
        proxy.config["models"] = {"qwen": {"path": str(proxy.models_dir / "tiny-a.gguf"),
                                           "filters": {"set": {"temperature": 0.2}, "strip": ["logit_bias"]}}}
    proxy = start_proxy(llama_server=ECHO_UPSTREAM, before_start=prepare)
    body = transcription_form(b"qwen")
    response = request(proxy.port, "POST", "/v1/audio/transcriptions", body, headers=form_headers())
    assert response.status == 200 and response.body == body
    json_body = b'{"model": "qwen", "logit_bias": {"1": 2}}'
    response = request(proxy.port, "POST", "/upstream/qwen/v1/chat/completions", json_body)
    assert response.status == 200 and response.body == json_body
    # The same body routed by its model is filtered.
    filtered = request(proxy.port, "POST", "/v1/chat/completions", json_body)
    assert filtered.status == 200 and b"logit_bias" not in filtered.body and b'"temperature"' in filtered.body
