"""Faults of a real llama-server: the client gets a clear end, and the proxy recovers."""
import hashlib
import json
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import openai
import pytest

import fault_upstream
from http_client import RawConnection, chat_body, encode_request, request, sse_events
from processes import is_alive, wait_until
from resources import Footprint, assert_settles_back


def test_llama_server_killed_mid_stream_ends_the_stream_with_an_api_error(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",))
    client = openai.OpenAI(base_url=proxy.base_url + "/v1", api_key="unused", max_retries=0, timeout=60)
    stream = client.chat.completions.create(model="tiny-a", messages=[{"role": "user", "content": "hi"}],
                                            max_tokens=15000, stream=True, extra_body={"ignore_eos": True})
    chunks = iter(stream)
    for _ in range(3):
        assert next(chunks).choices is not None
    child = proxy.child_for("tiny-a.gguf")
    os.kill(child.pid, signal.SIGKILL)
    with pytest.raises(openai.APIError) as raised:
        for _ in chunks:
            pass
    # The kernel reports the dead child as an early close or, with unread bytes, a reset.
    assert isinstance(raised.value.body, dict) and raised.value.body.get("code") == "upstream_error", raised.value.body
    assert "upstream" in str(raised.value), raised.value
    # The next request starts the model again at once: one crash costs no restart backoff, and
    # a request that races the exit (the child's socket refuses it before the proxy has reaped
    # the child) has the dead child killed and is served by a fresh start, not answered 502.
    assert request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a", max_tokens=2)).status == 200


FAULT_UPSTREAM = Path(__file__).with_name("fault_upstream.py")


def faulty_llama_server(tmp_path, llama_server, faulty_model: str, mode: str) -> Path:
    """A llama-server that is fault_upstream.py MODE for one model file and the real one for the others."""
    wrapper = tmp_path / f"{mode}-llama-server"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'case "$*" in *{faulty_model}*) exec "{sys.executable}" "{FAULT_UPSTREAM}" {mode} "$@" ;; esac\n'
        f'exec "{llama_server}" "$@"\n')
    os.chmod(wrapper, 0o755)
    return wrapper


def chat(proxy, model, content="hi"):
    body = {"model": model, "messages": [{"role": "user", "content": content}], "max_tokens": 2}
    return request(proxy.port, "POST", "/v1/chat/completions", json.dumps(body).encode(), timeout=60)


def test_a_llama_server_that_never_becomes_healthy_gets_model_load_timeout(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"),
                        llama_server=faulty_llama_server(tmp_path, llama_server, "tiny-b.gguf", "hang"),
                        timeouts={"load_seconds": 1, "queue_seconds": 60, "shutdown_grace_seconds": 30})
    before = Footprint.of(proxy.pid)
    for attempt in (1, 2):  # the next request tries again: a load timeout is no start failure
        response = chat(proxy, "tiny-b")
        assert response.status == 503, response.body
        error = response.json()["error"]
        assert error["code"] == "model_load_timeout" and error["type"] == "server_error", error
        assert "not ready within 1 s" in error["message"]
        assert "fault_upstream: loading for ever" in error["message"]  # the log tail
        assert_settles_back(proxy.pid, before)  # the hanging child was killed and reaped
        assert proxy.child_for("tiny-b.gguf") is None
        wait_until(lambda: proxy.log().count("load failed model=tiny-b") == attempt, message=f"load failure {attempt} logged")
    assert chat(proxy, "tiny-a").status == 200


def test_a_llama_server_that_exits_at_start_gets_model_start_failed_then_retry_after(start_proxy, tmp_path, llama_server):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"),
                        llama_server=faulty_llama_server(tmp_path, llama_server, "tiny-b.gguf", "exit"))
    before = Footprint.of(proxy.pid)
    first = chat(proxy, "tiny-b")
    assert first.status == 503, first.body
    error = first.json()["error"]
    assert error["code"] == "model_start_failed" and error["type"] == "server_error", error
    assert fault_upstream.EXIT_LINE in error["message"]
    assert "failed to start: exited with status 1" in error["message"], error["message"]
    assert first.header("Retry-After") is None  # it was really tried

    again = chat(proxy, "tiny-b")  # one failure is retried at once
    assert again.status == 503 and again.header("Retry-After") is None, again.headers

    # From the second failure in a row the backoff refuses requests without starting anything
    # (1 s, then 2, 4, ...: however slow this machine, one of these lands inside a window).
    started, refusal = 2, None
    for _ in range(6):
        response = chat(proxy, "tiny-b")
        assert response.status == 503 and response.json()["error"]["code"] == "model_start_failed"
        if response.header("Retry-After") is None:
            started += 1
            continue
        refusal = response
        break
    assert refusal is not None, "no request was refused during the restart backoff"
    error = refusal.json()["error"]
    assert "times in a row); it will be started again in" in error["message"], error["message"]
    assert fault_upstream.EXIT_LINE in error["message"]
    assert int(refusal.header("Retry-After")) >= 1
    # Log lines leave from the writer thread: wait for them, then check the refusal started nothing.
    wait_until(lambda: proxy.log().count("load failed model=tiny-b") >= started, message="the failed loads logged")
    time.sleep(0.2)
    assert proxy.log().count("load failed model=tiny-b") == started
    assert_settles_back(proxy.pid, before)
    assert chat(proxy, "tiny-a").status == 200


@pytest.mark.parametrize("kind", sorted(fault_upstream.GARBAGE))
def test_a_llama_server_answering_garbage_gets_upstream_error(start_proxy, tmp_path, llama_server, kind):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"), max_loaded=2,
                        llama_server=faulty_llama_server(tmp_path, llama_server, "tiny-b.gguf", "garbage"))
    assert chat(proxy, "tiny-a").status == 200
    for _ in range(2):  # the same model again: the proxy does not stick on a broken connection
        response = chat(proxy, "tiny-b", content=f"garbage:{kind}")
        assert response.status == 502, (response.status, response.body)
        error = response.json()["error"]
        assert error["code"] == "upstream_error" and error["type"] == "server_error", error
    # The garbage model stays loaded (its /health is fine); the other model keeps being served.
    assert chat(proxy, "tiny-a").status == 200
    assert request(proxy.port, "GET", "/health").status == 200


class Traffic:
    """A few threads sending chat requests one after another until stopped; records every failure."""

    def __init__(self, proxy, contents, threads=3):
        self.proxy, self.contents = proxy, contents
        self.failures, self.count, self.done = [], [0], threading.Event()
        self.workers = [threading.Thread(target=self.run) for _ in range(threads)]

    def run(self):
        while not self.done.is_set():
            for content in self.contents:
                try:
                    response = chat(self.proxy, "tiny-a", content)
                    failure = None if response.status == 200 else (response.status, response.body[:200])
                except OSError as error:
                    failure = repr(error)
                self.count[0] += 1
                if failure:
                    self.failures.append((content, failure))

    def __enter__(self):
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        for worker in self.workers:
            worker.join(timeout=60)
        assert not any(worker.is_alive() for worker in self.workers), "a traffic thread hangs"


def agents(proxy):
    response = request(proxy.port, "GET", "/v1/agents")
    assert response.status == 200, response.body
    return sorted((agent["command"], agent["sha256"]) for agent in response.json()["data"])


def test_the_plugins_folder_changing_during_reloads_fails_no_request(start_proxy, proxy_binary):
    """Files appear, are copied over in place and disappear while SIGHUPs arrive (without waiting
    for the reload before) and requests run; after the last reload /v1/agents is the folder's."""
    sys_prompt, compare = proxy_binary.parent / "libSysPrompt.so", proxy_binary.parent / "libCompare.so"
    sampling = proxy_binary.parent / "libSampling.so"

    def prepare(proxy):
        folder = proxy.workdir / "plugins"
        folder.mkdir(mode=0o755)
        os.chmod(folder, 0o755)
        proxy.config["plugins_dir"] = str(folder)
    proxy = start_proxy(before_start=prepare)
    folder = Path(proxy.config["plugins_dir"])

    def install(library):
        target = folder / library.name
        shutil.copyfile(library, target)  # in place, as cp does: a reload may see it half written
        os.chmod(target, 0o644)

    def replace_atomically(library):
        staged = folder / f".{library.name}.new"
        shutil.copyfile(library, staged)
        os.chmod(staged, 0o644)
        os.rename(staged, folder / library.name)

    assert chat(proxy, "tiny-a", "warm up").status == 200
    stop_changing = threading.Event()

    def change_the_folder():
        for round_number in range(200):  # bounded; stopped earlier by the test
            if stop_changing.is_set():
                return
            install(sys_prompt)
            if round_number % 2:
                install(compare)  # appears
            else:
                (folder / compare.name).unlink(missing_ok=True)  # disappears
            if round_number % 3:
                replace_atomically(sampling)
            else:
                (folder / sampling.name).unlink(missing_ok=True)
            (folder / "libNotAPlugin.so").write_bytes(b"\x7fELF half a plugin")  # skipped with a log line
            os.chmod(folder / "libNotAPlugin.so", 0o644)
            (folder / "libNotAPlugin.so").unlink()
            time.sleep(0.01)

    changer = threading.Thread(target=change_the_folder)
    with Traffic(proxy, ("/help", "hello", "/etc/hosts is odd")) as traffic:
        changer.start()
        try:
            for _ in range(20):
                proxy.signal(signal.SIGHUP)
                time.sleep(0.1)
        finally:
            stop_changing.set()
            changer.join(timeout=30)
        # The last state of the folder, then the last reload.
        (folder / sampling.name).unlink(missing_ok=True)
        install(sys_prompt)
        install(compare)
        proxy.signal(signal.SIGHUP)
        expected = sorted([(command, hashlib.sha256(sys_prompt.read_bytes()).hexdigest()) for command in ("/help", "/sys")]
                          + [("/compare", hashlib.sha256(compare.read_bytes()).hexdigest())])
        wait_until(lambda: agents(proxy) == expected, timeout=15, message="/v1/agents to list the folder's plugins")

    assert not traffic.failures, traffic.failures[:5]
    assert traffic.count[0] > 20
    assert proxy.log().count("agent(s) from") >= 2
    time.sleep(0.3)  # no late reload changes the set any more
    assert agents(proxy) == expected
    assert "system_fingerprint" not in json.loads(chat(proxy, "tiny-a", "/help").body)  # the agent answers


def test_sighup_under_load_fails_no_request(start_proxy):
    proxy = start_proxy(model_files=("tiny-a", "tiny-b"))
    assert chat(proxy, "tiny-a").status == 200
    with Traffic(proxy, ("hello",), threads=4) as traffic:
        for number in range(20):
            reloads = proxy.log().count("reloaded configuration")
            # A configuration that really changes: an alias that comes and goes.
            proxy.config["models"] = {} if number % 2 else {
                "configured-b": {"path": str(proxy.models_dir / "tiny-b.gguf"), "aliases": ["alias-b"]}}
            proxy.config_path.write_text(json.dumps(proxy.config))
            proxy.signal(signal.SIGHUP)
            wait_until(lambda: proxy.log().count("reloaded configuration") > reloads, timeout=10,
                       message=f"reload {number + 1}")
    assert not traffic.failures, traffic.failures[:5]
    assert traffic.count[0] > 20
    assert "reload failed" not in proxy.log()
    assert chat(proxy, "tiny-a").status == 200


def test_sigterm_under_load_finishes_requests_in_flight_and_refuses_new_ones(start_proxy):
    # A grace no loaded machine runs out of: the streams' 2,000 tokens may take longer than the
    # default 30 s when CI shares the cores, and past the grace a cut stream is the rule.
    proxy = start_proxy(model_files=("tiny-a",), timeouts={"shutdown_grace_seconds": 600})
    body = json.dumps(chat_body("tiny-a", max_tokens=2000, stream=True, ignore_eos=True)).encode()
    streams = []
    for _ in range(3):  # -np 4: all three generate at once
        connection = RawConnection.tcp(proxy.port, timeout=60)
        connection.send(encode_request("POST", "/v1/chat/completions", body))
        streams.append(connection)
    results = [None] * len(streams)

    # Every stream is under way (its first event read) before the signal.
    first_events = []
    for connection in streams:
        response = connection.read_head()
        assert response.status == 200
        events = sse_events(connection, response)
        first_events.append((response, events, next(events)))
    children = [child.pid for child in proxy.children()]
    assert len(children) == 1

    def drain(index):
        response, events, first = first_events[index]
        try:
            results[index] = (response.status, [first, *events])
        except (OSError, AssertionError) as error:
            results[index] = (None, repr(error))

    proxy.signal(signal.SIGTERM)
    readers = [threading.Thread(target=drain, args=(index,)) for index in range(len(streams))]
    for reader in readers:
        reader.start()
    # New connections meanwhile: refused, or answered 503 shutting_down; never served.
    answers = []
    while any(reader.is_alive() for reader in readers) and len(answers) < 200:
        try:
            response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a", max_tokens=2), timeout=10)
            assert response.status == 503, (response.status, response.body[:200])
            assert response.json()["error"]["code"] == "shutting_down"
            answers.append(503)
        except (ConnectionRefusedError, ConnectionResetError):
            answers.append("refused")
        time.sleep(0.02)
    for reader in readers:
        reader.join(timeout=60)
    for connection in streams:
        connection.close()

    assert answers, "no new connection was tried while the streams were in flight"
    assert None not in results, "a stream was not read to its end"
    for status, events in results:
        assert status == 200, events
        assert events[-1] == b"[DONE]", events[-3:]
        assert json.loads(events[-2])["choices"][0]["finish_reason"] == "length"  # complete: all 2000 tokens
    assert proxy.wait_exit(timeout=30) == 0
    assert not any(is_alive(pid) for pid in children)
    assert proxy.children() == []
