"""NVIDIA memory really free before a swap: a device with `nvidia_index` waits after a child's
exit until nvidia-smi shows its memory released, or `timeouts.gpu_release_seconds` passed. The
nvidia-smi here is a FAKE (a script whose answer the test controls); the children are real
llama-servers on the host."""
import threading

from http_client import chat_body, request
from processes import wait_until

GPU = {"gpu": {"memory_mib": 300, "nvidia_index": 0, "measure_rss": False}}
MODELS = {
    "m-a": {"path": "models/tiny-a.gguf", "memory_mib": 200},
    "m-b": {"path": "models/tiny-b.gguf", "memory_mib": 200},
}
TIMEOUTS = {"load_seconds": 60, "queue_seconds": 120, "shutdown_grace_seconds": 30}


class FakeNvidiaSMI:
    """`nvidia-smi` that prints the MiB in `answer` and logs each call's arguments in `calls`."""

    def __init__(self, folder):
        self.answer = folder / "answer"
        self.calls = folder / "calls"
        self.script = folder / "nvidia-smi"
        self.set_used(5000)
        self.script.write_text(f'#!/bin/sh\necho "$@" >> "{self.calls}"\ncat "{self.answer}"\n')
        self.script.chmod(0o755)

    def set_used(self, mebibytes: int) -> None:
        temporary = self.answer.with_suffix(".new")
        temporary.write_text(f"{mebibytes}\n")
        temporary.replace(self.answer)  # atomic: a call never reads half a file

    def call_count(self) -> int:
        return len(self.calls.read_text().splitlines()) if self.calls.exists() else 0


def chat(proxy, model, result=None):
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body(model), timeout=180)
    if result is not None:
        result["response"] = response
    return response


def state(proxy, model) -> str:
    response = request(proxy.port, "GET", "/v1/models")
    return {entry["id"]: entry["state"] for entry in response.json()["data"]}[model]


def test_a_swap_onto_an_nvidia_device_waits_until_nvidia_smi_shows_the_memory_free(start_proxy, tmp_path):
    smi = FakeNvidiaSMI(tmp_path)
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2, devices=GPU, models=MODELS,
                        nvidia_smi=str(smi.script), timeouts=TIMEOUTS)
    assert chat(proxy, "m-a").status == 200
    result = {}
    swap = threading.Thread(target=chat, args=(proxy, "m-b", result))
    swap.start()  # 200 + 200 MiB do not fit in 300: m-a is evicted for it
    proxy.wait_for_log("unload model=m-a",
                       "gpu release model=m-a on gpu: waiting for nvidia-smi -i 0 to show 200 MiB freed (at most 30 s)",
                       timeout=60)
    # The fake keeps showing the memory in use: the watcher polls it, and m-b is not started.
    polled = smi.call_count()
    wait_until(lambda: smi.call_count() >= polled + 3, timeout=30, message="nvidia-smi polled while waiting")
    assert state(proxy, "m-b") == "unloaded" and swap.is_alive()
    assert "load model=m-b" not in proxy.log()
    assert "--query-gpu=memory.used --format=csv,noheader,nounits -i 0" in smi.calls.read_text()
    smi.set_used(100)  # 4900 MiB freed: more than three quarters of m-a's 200
    swap.join(timeout=180)
    assert not swap.is_alive() and result["response"].status == 200, result
    log = proxy.wait_for_log("gpu release model=m-a on gpu: freed after", "load model=m-b")
    assert log.index("gpu release model=m-a on gpu: freed after") < log.index("load model=m-b")


def test_when_nvidia_smi_never_shows_the_memory_free_the_swap_goes_ahead_after_the_timeout(start_proxy, tmp_path):
    smi = FakeNvidiaSMI(tmp_path)
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2, devices=GPU, models=MODELS,
                        nvidia_smi=str(smi.script), timeouts={**TIMEOUTS, "gpu_release_seconds": 2})
    assert chat(proxy, "m-a").status == 200
    assert chat(proxy, "m-b").status == 200
    waiting = "gpu release model=m-a on gpu: waiting for nvidia-smi -i 0 to show 200 MiB freed (at most 2 s)"
    gave_up = "gpu release model=m-a on gpu: nvidia-smi -i 0 did not show 200 MiB freed within 2 s; counting it free"
    log = proxy.wait_for_log(waiting, gave_up, "load model=m-b")
    assert log.index(waiting) < log.index(gave_up) < log.index("load model=m-b")
    assert smi.call_count() >= 2  # sampled while m-a ran, and polled after its exit
