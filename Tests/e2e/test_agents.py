"""Agent plugins on the request path, with the real SysPrompt plugin and a real llama-server."""
import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from http_client import chat_body, request
from processes import wait_until

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def plugin_library(proxy_binary):
    library = proxy_binary.parent / "libSysPrompt.so"
    assert library.exists(), f"{library} is built by `swift build` (the SysPrompt product)"
    return library


def plugins_folder(proxy_workdir, library=None):
    folder = proxy_workdir / "plugins"
    folder.mkdir(mode=0o755, exist_ok=True)
    os.chmod(folder, 0o755)
    if library:
        install(library, folder)
    return folder


def install(library, folder):
    target = folder / library.name
    shutil.copyfile(library, target)  # copies over a loaded file in place, as `cp` would
    os.chmod(target, 0o644)


def chat(proxy, content, **extra):
    body = {"model": "tiny-a", "messages": [{"role": "user", "content": content}], "max_tokens": 4, **extra}
    return request(proxy.port, "POST", "/v1/chat/completions", json.dumps(body).encode())


def start_with_plugins(start_proxy, library, **overrides):
    def prepare(proxy):
        proxy.config["plugins_dir"] = str(plugins_folder(proxy.workdir, library))
    return start_proxy(before_start=prepare, **overrides)


def test_agents_are_listed_with_their_plugin_and_checksum(start_proxy, plugin_library):
    proxy = start_with_plugins(start_proxy, plugin_library)
    agents = json.loads(request(proxy.port, "GET", "/v1/agents").body)["data"]
    assert [agent["command"] for agent in agents] == ["/help", "/sys"]
    assert all(len(agent["sha256"]) == 64 and agent["path"].endswith("libSysPrompt.so") for agent in agents)
    proxy.wait_for_log("sha256", "libSysPrompt.so")


def test_help_replies_without_a_model_as_json_and_as_a_stream(start_proxy, plugin_library):
    proxy = start_with_plugins(start_proxy, plugin_library)
    response = chat(proxy, "/help")
    assert response.status == 200
    answer = json.loads(response.body)
    assert answer["object"] == "chat.completion"
    assert "/sys" in answer["choices"][0]["message"]["content"]
    assert proxy.children() == []  # no model was started for it

    streamed = chat(proxy, "/help", stream=True)
    assert streamed.status == 200
    events = [line[len(b"data: "):] for line in streamed.body.split(b"\n\n") if line.startswith(b"data: ")]
    assert events[-1] == b"[DONE]"
    assert "/sys" in json.loads(events[0])["choices"][0]["delta"]["content"]
    assert json.loads(events[-2])["choices"][0]["finish_reason"] == "stop"


def test_sys_rewrites_the_request_that_reaches_the_model(start_proxy, plugin_library):
    proxy = start_with_plugins(start_proxy, plugin_library)
    plain = json.loads(chat(proxy, "hello").body)
    with_system = json.loads(chat(proxy, "/sys You are a very terse assistant who answers briefly.\nhello").body)
    assert with_system["object"] == "chat.completion"
    # The system prompt is really in the prompt llama-server tokenized.
    assert with_system["usage"]["prompt_tokens"] > plain["usage"]["prompt_tokens"] + 20


def test_unregistered_commands_and_agent_failures(start_proxy, plugin_library):
    proxy = start_with_plugins(start_proxy, plugin_library)
    passthrough = chat(proxy, "/etc/hosts is odd")
    assert passthrough.status == 200
    assert json.loads(passthrough.body)["model"] == "tiny-a"  # answered by llama-server, untouched

    failed = chat(proxy, "/sys")
    assert failed.status == 400
    error = json.loads(failed.body)["error"]
    assert error["code"] == "agent_failed" and "usage" in error["message"]


def test_sighup_adds_changes_and_removes_plugins(start_proxy, plugin_library):
    proxy = start_proxy(before_start=lambda p: p.config.__setitem__("plugins_dir", str(plugins_folder(p.workdir))))
    folder = proxy.workdir / "plugins"
    assert json.loads(chat(proxy, "/help").body).get("object") == "chat.completion"
    assert "system_fingerprint" in json.loads(chat(proxy, "/help").body)  # llama-server answered

    install(plugin_library, folder)
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: len(json.loads(request(proxy.port, "GET", "/v1/agents").body)["data"]) == 2,
               timeout=10, message="the new plugin to load")
    assert "system_fingerprint" not in json.loads(chat(proxy, "/help").body)  # the agent answered

    for _ in range(3):  # the same file copied over in place, then reloaded: no crash
        install(plugin_library, folder)
        proxy.signal(signal.SIGHUP)
        assert request(proxy.port, "GET", "/health").status == 200
    assert chat(proxy, "/help").status == 200

    (folder / plugin_library.name).unlink()
    proxy.signal(signal.SIGHUP)
    # A reload still under way may have listed the file before it went (then it is skipped, for
    # "cannot stat"); the reload this SIGHUP asks for comes after it and finds nothing.
    wait_until(lambda: {key: value for key, value in json.loads(request(proxy.port, "GET", "/v1/agents").body).items()
                        if key in ("data", "skipped")} == {"data": [], "skipped": []},
               timeout=10, message="the removed plugin to go")
    assert "system_fingerprint" in json.loads(chat(proxy, "/help").body)


def compile_slow_plugin(library, *defines):
    """The C test plugin, compiled against the SDK's header."""
    source = REPO / "Tests/e2e/plugins/slow_agent.c"
    subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-I", str(REPO / "plugin-sdk/include"), *defines,
                    "-o", str(library), str(source)], check=True)
    return library


@pytest.fixture
def slow_plugin(tmp_path):
    return compile_slow_plugin(tmp_path / "libslow.so")


def test_an_agent_past_its_deadline_gets_504_and_others_keep_being_served(start_proxy, plugin_library, slow_plugin):
    def prepare(proxy):
        folder = plugins_folder(proxy.workdir, plugin_library)
        install(slow_plugin, folder)
        proxy.config["plugins_dir"] = str(folder)
        proxy.config.setdefault("timeouts", {})["agent_seconds"] = 0.5
    proxy = start_proxy(before_start=prepare)

    assert json.loads(chat(proxy, "/slow 10").body)["choices"][0]["message"]["content"] == "slept"
    timed_out = chat(proxy, "/slow 3000")
    assert timed_out.status == 504
    assert json.loads(timed_out.body)["error"]["code"] == "agent_timeout"
    # While that agent still sleeps on its worker, everyone else is served, and /help (from the
    # SysPrompt plugin) lists the agents of every plugin, through the host API.
    help_text = json.loads(chat(proxy, "/help").body)["choices"][0]["message"]["content"]
    assert all(usage in help_text for usage in ("/slow <ms>", "/boom", "/help", "/sys <system prompt>"))
    assert chat(proxy, "hello").status == 200

    refused = chat(proxy, "/boom")
    assert refused.status == 418
    assert json.loads(refused.body)["error"] == {
        "message": "/boom: the agent refused", "type": "agent_error", "code": "agent_failed"}


def test_compare_calls_two_real_models_through_the_host_api(start_proxy, proxy_binary):
    def prepare(proxy):
        folder = plugins_folder(proxy.workdir, proxy_binary.parent / "libCompare.so")
        proxy.config["plugins_dir"] = str(folder)
        proxy.config.setdefault("timeouts", {})["agent_seconds"] = 60
    proxy = start_proxy(before_start=prepare, max_loaded=2)

    response = chat(proxy, "/compare tiny-a,tiny-b hello there")
    assert response.status == 200, response.body
    text = json.loads(response.body)["choices"][0]["message"]["content"]
    assert text.startswith("### tiny-a\n") and "\n\n### tiny-b\n" in text
    assert "(error" not in text
    # Both models really ran, started by the pool for the agent's own requests.
    assert sorted(Path(child.model_path).name for child in proxy.children()) == ["tiny-a.gguf", "tiny-b.gguf"]
    proxy.wait_for_log("answered by /compare", "model=tiny-a status=200", "model=tiny-b status=200")

    unknown = json.loads(chat(proxy, "/compare tiny-a,nope hi").body)["choices"][0]["message"]["content"]
    assert "(error 404" in unknown  # the host's own error for the unknown model reaches the agent


def test_fifty_reloads_under_load_drop_no_request_and_memory_stays_bounded(start_proxy, plugin_library, proxy_binary):
    """SIGHUP while requests stream in: adds, changes (in place) and removes plugins, 50 times."""
    import threading
    from processes import rss_kib

    proxy = start_with_plugins(start_proxy, plugin_library)
    folder = proxy.workdir / "plugins"
    compare = proxy_binary.parent / "libCompare.so"
    assert chat(proxy, "warm up").status == 200
    failures, done, count = [], threading.Event(), [0]

    def traffic():
        while not done.is_set():
            for content in ("/help", "hello", "/etc/hosts is odd"):
                response = chat(proxy, content)
                count[0] += 1
                if response.status != 200:
                    failures.append((content, response.status, response.body[:200]))

    workers = [threading.Thread(target=traffic) for _ in range(3)]
    for worker in workers:
        worker.start()
    try:
        rss_after_first = None
        for round_number in range(50):
            if round_number % 2:
                install(compare, folder)
            else:
                (folder / compare.name).unlink(missing_ok=True)
            install(plugin_library, folder)  # the loaded file, copied over in place
            reloads = proxy.log().count("agent(s) from")
            proxy.signal(signal.SIGHUP)
            wait_until(lambda: proxy.log().count("agent(s) from") > reloads, timeout=10, message="the reload")
            if round_number == 1:
                rss_after_first = rss_kib(proxy.pid)
    finally:
        done.set()
        for worker in workers:
            worker.join(timeout=60)

    assert not failures, failures[:5]
    assert count[0] > 50
    assert request(proxy.port, "GET", "/health").status == 200
    grown = rss_kib(proxy.pid) - rss_after_first
    # Old library versions stay mapped by design (RTLD_NODELETE); ~0.1-0.3 MiB per reload.
    print(f"rss growth over 48 reloads: {grown} KiB")
    assert grown < 48 * 1024, f"RSS grew {grown} KiB over 48 reloads"


def test_a_broken_new_version_keeps_the_running_one(start_proxy, plugin_library):
    proxy = start_with_plugins(start_proxy, plugin_library)
    library = proxy.workdir / "plugins" / plugin_library.name
    assert "system_fingerprint" not in json.loads(chat(proxy, "/help").body)  # the agent answers

    library.write_bytes(b"\x7fELF but truncated")
    os.chmod(library, 0o644)
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: "kept the running version" in proxy.log(), timeout=10, message="the old version to be kept")
    assert "system_fingerprint" not in json.loads(chat(proxy, "/help").body)  # still the agent
    assert len(json.loads(request(proxy.port, "GET", "/v1/agents").body)["data"]) == 2


def agents_listing(proxy):
    response = request(proxy.port, "GET", "/v1/agents")
    assert response.status == 200, response.body
    return response.json()


def test_a_skipped_plugin_is_listed_and_its_command_says_why(start_proxy, plugin_library):
    proxy = start_with_plugins(start_proxy, plugin_library)
    folder = proxy.workdir / "plugins"
    # What a plain `cp` under umask 002 makes: a file others of the group may write.
    shutil.copyfile(plugin_library, folder / "libReverse.so")
    os.chmod(folder / "libReverse.so", 0o664)
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: agents_listing(proxy)["skipped"] != [], timeout=10, message="the skipped file listed")
    listing = agents_listing(proxy)
    assert [agent["command"] for agent in listing["data"]] == ["/help", "/sys"]
    assert listing["skipped"] == [{"path": str(folder / "libReverse.so"), "reason": "writable by group or others (mode 664)",
                                   "commands": ["/reverse"], "commands_guessed": True}]
    response = chat(proxy, "/reverse stressed")
    assert response.status == 503, response.body
    error = response.json()["error"]
    assert error["code"] == "agent_unavailable" and error["type"] == "agent_error", error
    assert error["message"] == (f"the plugin file that would serve /reverse by its name, {folder / 'libReverse.so'}, "
                                "was not loaded: writable by group or others (mode 664)")
    # Fixed and reloaded: no longer skipped (it registers /help and /sys, which the running
    # plugin keeps, so now it is skipped for that instead, naming the commands it tried).
    os.chmod(folder / "libReverse.so", 0o644)
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: agents_listing(proxy)["skipped"][0]["commands_guessed"] is False, timeout=10,
               message="the file loaded and refused its commands")
    skipped = agents_listing(proxy)["skipped"][0]
    assert skipped["commands"] == ["/help"] and "already registered by" in skipped["reason"], skipped
    assert chat(proxy, "/reverse stressed").status == 200  # no plugin claims /reverse now: the model answers


def test_a_plugin_built_with_another_swift_is_refused_with_both_toolchains_named(start_proxy, plugin_library, tmp_path):
    # A C plugin compiled here with cc, claiming the toolchain of an old Swift SDK.
    faked = compile_slow_plugin(tmp_path / "libslow.so", '-DTOOLCHAIN="Swift 5.9"')
    proxy = start_with_plugins(start_proxy, plugin_library)
    folder = proxy.workdir / "plugins"
    install(faked, folder)
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: agents_listing(proxy)["skipped"] != [], timeout=10, message="the refused file listed")
    listing = agents_listing(proxy)
    assert [agent["command"] for agent in listing["data"]] == ["/help", "/sys"]  # the SDK's own toolchain fits
    version = subprocess.run([str(proxy.binary), "--version"], capture_output=True, text=True).stdout.splitlines()[1]
    host_toolchain = version.removeprefix("built with ")
    reason = f"built with Swift 5.9, this proxy with {host_toolchain}: rebuild it with the proxy's toolchain"
    assert listing["skipped"] == [{"path": str(folder / "libslow.so"), "reason": reason, "commands": ["/slow"],
                                   "commands_guessed": True}], listing["skipped"]
    proxy.wait_for_log(f"plugins: skipped {folder / 'libslow.so'}: {reason}")
    response = chat(proxy, "/slow 1")
    assert response.status == 503 and reason in response.json()["error"]["message"], response.body


def test_the_running_plugin_keeps_its_commands_when_a_newcomer_claims_them(start_proxy, plugin_library):
    def prepare(proxy):
        folder = plugins_folder(proxy.workdir)
        shutil.copyfile(plugin_library, folder / "zz-sysprompt.so")
        os.chmod(folder / "zz-sysprompt.so", 0o644)
        proxy.config["plugins_dir"] = str(folder)
    proxy = start_proxy(before_start=prepare)
    folder = proxy.workdir / "plugins"
    install_as = folder / "aa-sysprompt.so"
    shutil.copyfile(plugin_library, install_as)  # sorts first: by name alone it would win
    os.chmod(install_as, 0o644)
    for _ in range(2):
        proxy.signal(signal.SIGHUP)
        wait_until(lambda: len(agents_listing(proxy)["skipped"]) == 1, timeout=10, message="the newcomer skipped")
        listing = agents_listing(proxy)
        assert {agent["path"] for agent in listing["data"]} == {str(folder / "zz-sysprompt.so")}
        assert listing["skipped"][0]["path"] == str(install_as)
        assert f"already registered by {folder / 'zz-sysprompt.so'}" in listing["skipped"][0]["reason"]
    proxy.wait_for_log(f"plugins: skipped {install_as}")
