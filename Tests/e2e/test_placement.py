"""Placement by memory with real llama-server: a device budget that holds two tiny models but
not three, eviction by memory, a model that never fits, the device's env and args and --fit off
on the child's command line, and the measured memory in /v1/models."""
import json
import os
import subprocess

from http_client import chat_body, request
from processes import command_line

SMALL_DEVICE = {"small": {"memory_mib": 300, "env": {"LSP_PLACEMENT_DEVICE": "small"}, "args": ["-ngl", "0"]}}


def placement_models(**extra):
    models = {
        "m-a": {"path": "models/tiny-a.gguf", "memory_mib": 120},
        "m-b": {"path": "models/tiny-b.gguf", "memory_mib": 120, "args": ["--fit", "on"]},
        "m-c": {"path": "models/tiny-c.gguf", "memory_mib": 120},
    }
    models.update(extra)
    return models


def models_by_id(proxy) -> dict:
    response = request(proxy.port, "GET", "/v1/models")
    assert response.status == 200
    return {model["id"]: model for model in response.json()["data"]}


def chat(proxy, model):
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body(model), timeout=120)
    assert response.status == 200, response.body
    return response


def environment(pid: int) -> list[str]:
    with open(f"/proc/{pid}/environ", "rb") as file:
        return [entry.decode(errors="replace") for entry in file.read().split(b"\0") if entry]


def test_two_fit_on_the_device_and_a_third_evicts_by_memory(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b", "tiny-c"), max_loaded=3, devices=SMALL_DEVICE,
                        models=placement_models())
    chat(proxy, "m-a")
    chat(proxy, "m-b")
    listing = models_by_id(proxy)
    assert (listing["m-a"]["state"], listing["m-b"]["state"]) == ("ready", "ready")  # 240 of 300 MiB
    assert listing["m-a"]["device"] == "small"
    chat(proxy, "m-c")  # 120 more does not fit: one of the two makes room
    log = proxy.wait_for_log("evict model=", "load model=m-c")
    # Which one is the eviction policy's choice (the cheaper to bring back, by measured load time
    # and last use; see the EvictionPolicy unit tests): load times vary with the machine's load.
    evicted = log.split("evict model=", 1)[1].split(" ", 1)[0]
    kept = {"m-a": "m-b", "m-b": "m-a"}[evicted]
    log = proxy.wait_for_log(f"unload model={evicted}")
    assert "on small (120 MiB) for model=m-c (120 MiB on small)" in log.split("evict model=", 1)[1].splitlines()[0]
    assert "reason=evicted" in log.split(f"unload model={evicted}", 1)[1].splitlines()[0]
    # m-c starts only once the evicted model has exited and been reaped.
    assert log.index(f"unload model={evicted}") < log.index("load model=m-c")
    listing = models_by_id(proxy)
    assert {model: listing[model]["state"] for model in (evicted, kept, "m-c")} == {
        evicted: "unloaded", kept: "ready", "m-c": "ready"}
    assert listing["m-c"]["memory_mib"] == 120 and listing["m-c"]["memory_configured"] is True
    assert listing["m-c"]["devices"] == ["small"]
    assert isinstance(listing["m-c"]["memory_measured_mib"], int) and listing["m-c"]["memory_measured_mib"] > 0
    assert listing[evicted]["device"] is None


def test_the_child_gets_its_devices_env_and_args_and_fit_off(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b", "tiny-c"), max_loaded=3, devices=SMALL_DEVICE,
                        models=placement_models())
    chat(proxy, "m-a")
    chat(proxy, "m-b")
    child_a = proxy.child_for("tiny-a.gguf")
    argv = command_line(child_a.pid)
    fit = argv.index("--fit")
    assert argv[fit + 1] == "off" and argv.count("--fit") == 1
    # The device's args come after the model's own; only the proxy's own (the slot cache's
    # folder, the socket) follow them.
    host = argv.index("--host")
    own = argv[:host]
    if "--slot-save-path" in own:
        cut = own.index("--slot-save-path")
        own = own[:cut] + own[cut + 2:]
    assert own[-2:] == ["-ngl", "0"]
    assert "LSP_PLACEMENT_DEVICE=small" in environment(child_a.pid)
    assert any(entry.startswith("PATH=") for entry in environment(child_a.pid))
    argv_b = command_line(proxy.child_for("tiny-b.gguf").pid)
    assert argv_b.count("--fit") == 1 and argv_b[argv_b.index("--fit") + 1] == "on"  # its own choice stays


def test_a_model_that_can_never_fit_fails_at_once_with_the_numbers(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b", "tiny-c"), max_loaded=3, devices=SMALL_DEVICE,
                        models=placement_models(huge={"path": "models/tiny-a.gguf", "memory_mib": 1000}))
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("huge"))
    assert response.status == 507
    error = response.json()["error"]
    assert error["code"] == "model_too_large"
    assert error["message"] == ("model 'huge' needs 1000 MiB (memory_mib), more than any device it may use has: "
                                "small 300 MiB")
    assert proxy.children() == []


def test_without_devices_the_host_measures_what_the_child_holds(start_proxy, proxy_binary):
    proxy = start_proxy(model_files=("tiny-a",))
    before = models_by_id(proxy)["tiny-a"]
    assert before["memory_measured_mib"] is None and before["device"] is None
    assert before["devices"] == ["host"]
    chat(proxy, "tiny-a")
    # The figure placed by is ModelMemory's estimate for the arguments the child got (the tool
    # over the same code, given the child's own command line).
    arguments = proxy.child_for("tiny-a.gguf").argv
    model = arguments[arguments.index("-m") + 1]
    tool = proxy_binary.with_name("llama-memory-estimate")
    done = subprocess.run([str(tool), model, *arguments[1:]], capture_output=True, text=True, timeout=60, check=True)
    assert before["memory_estimate_mib"] == -(-json.loads(done.stdout)["total"] // (1 << 20))
    log = proxy.wait_for_log("measure model=tiny-a")
    assert "resident" in log
    after = models_by_id(proxy)["tiny-a"]
    assert after["device"] == "host"
    assert after["memory_measured_mib"] > 0
    assert after["memory_mib"] == max(after["memory_measured_mib"], after["memory_reported_mib"] or 0)
    assert "devices=host:" in proxy.log()
