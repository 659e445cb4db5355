"""Command upstreams: models served by a `cmd` instead of the proxy's own llama-server launch.
llama-server itself on a TCP port through `cmd`, and openai_stub_server.py (a small
OpenAI-compatible server, not llama-server) on a UNIX socket and on TCP: environment, readiness
without a check, stopping by a signal of the model's choosing and by a stop command with the pid."""
import json
import subprocess
import sys
from pathlib import Path

from http_client import chat_body, request
from processes import command_line, is_alive

STUB = str(Path(__file__).resolve().parent / "openai_stub_server.py")


def models_by_id(proxy) -> dict:
    response = request(proxy.port, "GET", "/v1/models")
    assert response.status == 200, response.body
    return {model["id"]: model for model in response.json()["data"]}


def chat(proxy, model, **extra):
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body(model, **extra), timeout=120)
    assert response.status == 200, response.body
    return response


def pid_of(proxy, model) -> int:
    log = proxy.wait_for_log(f"load model={model} pid=")
    return int(log.split(f"load model={model} pid=", 1)[1].split()[0])


def stub_model(*arguments, **keys) -> dict:
    return {"cmd": [sys.executable, STUB, "--model-id", "${MODEL_ID}", *arguments], **keys}


def test_llama_server_on_a_tcp_port_through_cmd(start_proxy, llama_server):
    proxy = start_proxy(model_files=("tiny-a",), models={
        "cmd-llama": {"path": "models/tiny-a.gguf", "cmd": [
            str(llama_server), "-m", "${MODEL_PATH}", "--port", "${PORT}", "--host", "127.0.0.1",
            "--alias", "${MODEL_ID}", "--threads", "1", "-c", "512"]},
    })
    answer = chat(proxy, "cmd-llama").json()
    assert answer["object"] == "chat.completion"
    assert answer["model"] == "cmd-llama"
    argv = command_line(pid_of(proxy, "cmd-llama"))
    assert argv[argv.index("-m") + 1] == str(proxy.workdir / "models/tiny-a.gguf")
    port = int(argv[argv.index("--port") + 1])
    assert argv[argv.index("--host") + 1] == "127.0.0.1"
    assert "--threads-http" not in argv and "--fit" not in argv  # the command line is the operator's
    assert port != proxy.port and request(port, "GET", "/health").status == 200
    listing = models_by_id(proxy)["cmd-llama"]
    assert listing["state"] == "ready"
    assert listing["memory_mib"] > 0 and listing["memory_configured"] is False  # estimated from its file


def test_a_stub_server_on_a_unix_socket_with_its_environment(start_proxy):
    proxy = start_proxy(model_files=(), models={
        "stub": stub_model("--socket", "${SOCKET}", env={"STUB_GREETING": "hi from ${MODEL_ID}"}),
    })
    content = chat(proxy, "stub").json()["choices"][0]["message"]["content"]
    assert content == "stub stub asked for stub says hi from stub"
    argv = command_line(pid_of(proxy, "stub"))
    socket_path = argv[argv.index("--socket") + 1]
    assert socket_path.endswith(".sock") and Path(socket_path).exists()
    streamed = request(proxy.port, "POST", "/v1/chat/completions", chat_body("stub", stream=True), timeout=60)
    assert streamed.status == 200
    assert b"data: [DONE]" in streamed.body and b"says " in streamed.body
    listing = models_by_id(proxy)["stub"]
    assert listing["memory_estimate_mib"] == 0  # no file, no memory_mib: nothing to estimate
    assert "(estimate 0 MiB; placed by " in proxy.wait_for_log("measure model=stub")  # then what it was measured at


def test_ready_path_none_is_ready_once_it_accepts_a_connection(start_proxy):
    proxy = start_proxy(model_files=(), models={
        "no-health": stub_model("--port", "${PORT}", "--no-health", ready_path=None),
    })
    chat(proxy, "no-health")
    argv = command_line(pid_of(proxy, "no-health"))
    assert request(int(argv[argv.index("--port") + 1]), "GET", "/health").status == 404


def test_stopped_by_its_stop_signal(start_proxy, tmp_path):
    signal_file = tmp_path / "signal"
    proxy = start_proxy(model_files=(), max_loaded=1, models={
        "stubborn": stub_model("--port", "${PORT}", "--ignore-sigterm", "--signal-file", str(signal_file),
                               stop_signal="SIGINT", stop_seconds=120),
        "other": stub_model("--port", "${PORT}"),
    })
    chat(proxy, "stubborn")
    pid = pid_of(proxy, "stubborn")
    chat(proxy, "other")  # max_loaded 1: stubborn is evicted
    log = proxy.wait_for_log("unload model=stubborn", "load model=other", timeout=60)
    assert "reason=evicted" in log.split("unload model=stubborn", 1)[1].splitlines()[0]
    assert signal_file.read_text() == "SIGINT"  # not SIGKILL after the 120 s grace
    assert not is_alive(pid)


def test_stopped_by_its_stop_command_with_the_pid(start_proxy, tmp_path):
    signal_file, pid_file = tmp_path / "signal", tmp_path / "stop-pid"
    stop = ("import os, sys; open(sys.argv[2], 'w').write(sys.argv[1]); os.kill(int(sys.argv[1]), 15)")
    proxy = start_proxy(model_files=(), models={
        "boxed": stub_model("--socket", "${SOCKET}", "--signal-file", str(signal_file),
                            stop_cmd=[sys.executable, "-c", stop, "${PID}", str(pid_file)], stop_seconds=120),
    })
    chat(proxy, "boxed")
    pid = pid_of(proxy, "boxed")
    proxy.stop()
    assert pid_file.read_text() == str(pid)
    assert signal_file.read_text() == "SIGTERM"
    assert not is_alive(pid)


def test_a_command_config_error_names_the_key(proxy_binary, tmp_path):
    config = tmp_path / "bad.json"
    config.write_text(json.dumps({"port": 1, "llama_server": "/bin/true", "models": {"m": {"cmd": ["/bin/true"]}}}))
    result = subprocess.run([str(proxy_binary), "--config", str(config)], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "models.m.cmd: name where the command listens: ${PORT}" in result.stderr + result.stdout
