"""The shipped plugins as first released, built unchanged with the SDK of that release
(Tests/e2e/fixtures/v1-plugins: no reply functions, no `toolchain` in the descriptor, an
`lsp_agent` without `response_hook`), loaded into today's proxy: linked by the proxy's own
toolchain, they load, and behave as they did: `/help` answers whole and streamed, `/sys`
patches the request that reaches llama-server, `/compare` calls two real models through the
host's `complete_chat`."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from http_client import request
from test_agents import install, plugins_folder

FIXTURE = Path(__file__).resolve().parent / "fixtures/v1-plugins"


@pytest.fixture(scope="module")
def v1_plugins(tmp_path_factory) -> Path:
    package = tmp_path_factory.mktemp("v1") / "v1-plugins"
    shutil.copytree(FIXTURE, package)
    built = subprocess.run(["swift", "build", "--package-path", str(package), "--scratch-path", str(package / ".build")],
                           capture_output=True, text=True, timeout=1200)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return package / ".build/debug"


def start(start_proxy, folder: Path):
    def prepare(proxy):
        plugins = plugins_folder(proxy.workdir)
        for name in ("libSysPrompt.so", "libCompare.so"):
            install(folder / name, plugins)
        proxy.config["plugins_dir"] = str(plugins)
        proxy.config.setdefault("timeouts", {})["agent_seconds"] = 60
    return start_proxy(before_start=prepare, max_loaded=2)


def chat(proxy, content, **extra):
    body = {"model": "tiny-a", "messages": [{"role": "user", "content": content}], "max_tokens": 4, **extra}
    return request(proxy.port, "POST", "/v1/chat/completions", json.dumps(body).encode(), timeout=120)


def test_the_first_release_of_the_shipped_plugins_loads_and_behaves_as_it_did(start_proxy, v1_plugins):
    proxy = start(start_proxy, v1_plugins)
    listing = request(proxy.port, "GET", "/v1/agents").json()
    assert sorted(agent["command"] for agent in listing["data"]) == ["/compare", "/help", "/sys"], listing
    assert listing["skipped"] == [] and all(agent["response_hook"] is None for agent in listing["data"])

    help_answer = chat(proxy, "/help")
    assert help_answer.status == 200 and "/compare" in help_answer.json()["choices"][0]["message"]["content"]
    streamed = chat(proxy, "/help", stream=True)
    events = [line[len(b"data: "):] for line in streamed.body.split(b"\n\n") if line.startswith(b"data: ")]
    assert streamed.status == 200 and events[-1] == b"[DONE]"

    plain = chat(proxy, "hello").json()
    with_system = chat(proxy, "/sys You are a very terse assistant who answers briefly.\nhello").json()
    assert with_system["usage"]["prompt_tokens"] > plain["usage"]["prompt_tokens"] + 20  # the patch reached llama-server

    compared = chat(proxy, "/compare tiny-a,tiny-b hello there")
    assert compared.status == 200, compared.body
    text = compared.json()["choices"][0]["message"]["content"]
    assert text.startswith("### tiny-a\n") and "\n\n### tiny-b\n" in text and "(error" not in text
    proxy.wait_for_log("answered by /compare", "model=tiny-b status=200")
