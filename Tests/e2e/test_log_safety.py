"""Values from the client cannot forge log lines: control characters in a model name are escaped
in the proxy's request log (every byte class is covered by the unit tests, LogEscapingTests)."""
from http_client import request


def test_a_model_name_with_a_newline_cannot_forge_a_log_line(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",))
    forged = "nope\n2026-01-01T00:00:00.000Z request POST /v1/chat/completions model=tiny-a status=200\x1b[2J\x85"
    response = request(proxy.port, "POST", "/v1/chat/completions",
                       {"model": forged, "messages": [{"role": "user", "content": "hi"}]})
    assert response.status == 404
    log = proxy.wait_for_log("model=nope\\n2026-01-01T00:00:00.000Z")
    assert "\\x1B[2J\\xC2\\x85 status=404" in log
    assert not any(line.startswith("2026-01-01T00:00:00.000Z") for line in log.splitlines())

