"""A Swift plugin built with the SDK before the toolchain field (its descriptor ends before
`toolchain`, its agent before `response_hook`): it loads and answers when the toolchain that
linked it, read from its `.comment` section, is the proxy's own, and is skipped with the reason
when another toolchain linked it (here: the same library with one digit of that line changed)."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from http_client import request
from test_agents import install, plugins_folder

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def first_sdk_plugin(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("first-sdk")
    library = folder / "libFirstSDK.so"
    swiftc = shutil.which("swiftc")
    assert swiftc, "swiftc is on PATH wherever the proxy is built"
    subprocess.run([swiftc, "-emit-library", "-parse-as-library", "-module-name", "FirstSDK", "-I", str(REPO / "plugin-sdk/include"),
                    "-o", str(library), str(REPO / "Tests/e2e/plugins/first_sdk_plugin.swift")], check=True, cwd=folder)
    return library


def relinked_by_another_toolchain(library: Path, target: Path) -> Path:
    data = library.read_bytes()
    match = re.search(rb"llvm-project\.git ([0-9a-f]{40})", data)
    assert match, "the toolchain's clang names its commit in .comment"
    digit = match.start(1)
    data = data[:digit] + (b"0" if data[digit:digit + 1] != b"0" else b"1") + data[digit + 1:]
    target.write_bytes(data)
    return target


def start_with(start_proxy, library: Path):
    def prepare(proxy):
        folder = plugins_folder(proxy.workdir)
        install(library, folder)
        proxy.config["plugins_dir"] = str(folder)
    return start_proxy(before_start=prepare, model_files=())


def ask(proxy, content):
    body = {"model": "any", "messages": [{"role": "user", "content": content}]}
    return request(proxy.port, "POST", "/v1/chat/completions", body)


def test_a_first_sdk_swift_plugin_linked_by_the_proxys_toolchain_loads_and_answers(start_proxy, first_sdk_plugin):
    proxy = start_with(start_proxy, first_sdk_plugin)
    answer = ask(proxy, "/first-sdk one two three")
    assert answer.status == 200, answer.body
    assert answer.json()["choices"][0]["message"]["content"] == "first SDK, 3 word(s): three two one"
    agents = request(proxy.port, "GET", "/v1/agents").json()
    assert [agent["command"] for agent in agents["data"]] == ["/first-sdk"] and agents["skipped"] == []


def test_a_first_sdk_swift_plugin_linked_by_another_toolchain_is_skipped_with_the_reason(start_proxy, first_sdk_plugin, tmp_path):
    other = relinked_by_another_toolchain(first_sdk_plugin, tmp_path / "libFirstSDK.so")
    proxy = start_with(start_proxy, other)
    skipped = request(proxy.port, "GET", "/v1/agents").json()["skipped"]
    assert len(skipped) == 1, skipped
    assert "predates the toolchain field" in skipped[0]["reason"] and "linked by another toolchain" in skipped[0]["reason"]
    assert skipped[0]["reason"].endswith("rebuild it with the proxy's toolchain")
    assert request(proxy.port, "GET", "/v1/agents").json()["data"] == []  # refused before it ran
    proxy.wait_for_log("plugins: skipped")
