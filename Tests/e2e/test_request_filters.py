"""Per-model request filters (`filters.set`, `filters.strip`, `filters.upstream_model`) and
variant ids (`models.X.variants`): the upstream gets the client's body with only those members
edited, byte for byte otherwise.

The echo upstream (echo_upstream.py) answers with the exact body it received; a real
llama-server shows the edits take effect (a stripped member it would refuse, a variant's
`max_tokens`).
"""
import json
import subprocess
from pathlib import Path

from http_client import request

ECHO_UPSTREAM = Path(__file__).with_name("echo_upstream.py")

# Odd spacing, escapes, number spellings and an unknown member, all of which must survive.
BODY = b'  {\n\t"model" :"qwen" ,"x_unknown": {"n": [1, 2.50e0, null]}, "logit_bias" : {"15": -100},\r\n' \
       b'"temperature":1.0E0, "messages":[{"role":"user","content":"caf\\u00e9 \\"hi\\" \xe2\x82\xac"}], "max_tokens":3 }\n'


def filtered_models(proxy):
    return {
        "qwen": {
            "path": str(proxy.models_dir / "tiny-a.gguf"),
            "filters": {"set": {"temperature": 0.2, "cache_prompt": True}, "strip": ["logit_bias"],
                        "upstream_model": "Qwen/Qwen3-8B"},
            "variants": {"fast": {"reasoning_effort": "low", "temperature": 0.9}},
        },
        "other": {"path": str(proxy.models_dir / "tiny-b.gguf")},
    }


def start(start_proxy, **overrides):
    def prepare(proxy):
        proxy.config["models"] = filtered_models(proxy)
    return start_proxy(before_start=prepare, **overrides)


def post(proxy, body):
    return request(proxy.port, "POST", "/v1/chat/completions", body)


def test_the_upstream_gets_only_the_filtered_members_changed(start_proxy):
    proxy = start(start_proxy, llama_server=ECHO_UPSTREAM)
    response = post(proxy, BODY)
    assert response.status == 200, response.body
    assert response.body == BODY.replace(b'"model" :"qwen"', b'"model" :"Qwen/Qwen3-8B"') \
        .replace(b'"logit_bias" : {"15": -100},\r\n', b'') \
        .replace(b'"temperature":1.0E0', b'"temperature":0.2') \
        .replace(b'"max_tokens":3 }', b'"max_tokens":3,"cache_prompt":true }')
    proxy.wait_for_log("model=qwen status=200")  # logged by the name the client asked for


def test_a_variant_id_routes_to_its_model_with_its_members_set(start_proxy):
    proxy = start(start_proxy, llama_server=ECHO_UPSTREAM)
    response = post(proxy, BODY.replace(b'"qwen"', b'"QWEN:fast"'))
    assert response.status == 200, response.body
    assert response.body == BODY.replace(b'"model" :"qwen"', b'"model" :"Qwen/Qwen3-8B"') \
        .replace(b'"logit_bias" : {"15": -100},\r\n', b'') \
        .replace(b'"temperature":1.0E0', b'"temperature":0.9') \
        .replace(b'"max_tokens":3 }', b'"max_tokens":3,"cache_prompt":true,"reasoning_effort":"low" }')
    proxy.wait_for_log("model=qwen status=200")

    listed = {model["id"]: model for model in json.loads(request(proxy.port, "GET", "/v1/models").body)["data"]}
    assert listed["qwen"]["variants"] == ["qwen:fast"]
    assert listed["other"]["variants"] == []

    unknown = post(proxy, BODY.replace(b'"qwen"', b'"qwen:slow"'))
    assert unknown.status == 404, unknown.body
    assert json.loads(unknown.body)["error"]["code"] == "model_not_found"


def test_a_model_without_filters_gets_the_body_as_sent(start_proxy):
    proxy = start(start_proxy, llama_server=ECHO_UPSTREAM)
    body = BODY.replace(b'"qwen"', b'"other"')
    response = post(proxy, body)
    assert response.status == 200, response.body
    assert response.body == body


def test_bad_filters_are_refused_at_start_naming_the_key(tmp_path, proxy_binary, demo_models):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"llama_server": str(ECHO_UPSTREAM), "models": {
        "qwen": {"path": str(demo_models / "tiny-a.gguf"), "filters": {"strip": ["model"]}}}}))
    result = subprocess.run([str(proxy_binary), "--config", str(config)], capture_output=True, text=True, timeout=10)
    assert result.returncode != 0
    assert 'models.qwen.filters.strip[0]: "model" routes the request; use upstream_model to rename it' in result.stderr


def test_llama_server_sees_the_edits(start_proxy):
    def prepare(proxy):
        proxy.config["models"] = {
            "tiny": {"path": str(proxy.models_dir / "tiny-a.gguf"), "filters": {"strip": ["response_format"]},
                     "variants": {"one": {"max_tokens": 1}}},
            "raw": {"path": str(proxy.models_dir / "tiny-b.gguf")},
        }
    proxy = start_proxy(before_start=prepare)
    # llama-server refuses a response_format it does not know; the filter takes it out first.
    body = {"model": "raw", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4,
            "response_format": {"type": "bogus"}}
    refused = post(proxy, json.dumps(body).encode())
    assert refused.status == 400, refused.body

    body["model"] = "tiny"
    response = post(proxy, json.dumps(body).encode())
    assert response.status == 200, response.body
    assert json.loads(response.body)["usage"]["completion_tokens"] <= 4

    body["model"] = "tiny:one"
    response = post(proxy, json.dumps(body).encode())
    assert response.status == 200, response.body
    assert json.loads(response.body)["usage"]["completion_tokens"] == 1
