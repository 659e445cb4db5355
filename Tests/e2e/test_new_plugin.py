"""scripts/new-plugin: a package written outside the repository builds, passes its own tests, and
serves its command once installed and the proxy is signalled through its pid file."""
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from http_client import request
from processes import wait_until

REPO = Path(__file__).resolve().parents[2]


def new_plugin(*args, cwd):
    return subprocess.run([str(REPO / "scripts/new-plugin"), *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def swift(*args, package: Path):
    result = subprocess.run(["swift", *args, "--package-path", str(package), "--scratch-path", str(package / ".build")],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_a_new_plugin_builds_tests_installs_and_reloads_from_outside_the_repository(start_proxy, tmp_path):
    authoring = tmp_path / "authoring"
    authoring.mkdir()
    started = time.monotonic()
    made = new_plugin("Reverse", cwd=authoring)
    assert made.returncode == 0, made.stderr
    package = authoring / "Reverse"
    assert f"plugin package Reverse in {package} (command /reverse)" in made.stderr
    assert "kill -HUP" in made.stderr and "llama-smart-proxy.pid" in made.stderr
    tests = swift("test", package=package)
    assert "theCommandIsTheLowerCaseName" in tests.stdout + tests.stderr
    swift("build", package=package)
    library = package / ".build/debug/libReverse.so"
    assert library.exists()

    pid_file = tmp_path / "proxy.pid"
    plugins = tmp_path / "plugins"
    plugins.mkdir(mode=0o755)
    os.chmod(plugins, 0o755)
    proxy = start_proxy(model_files=("tiny-a",), plugins_dir=str(plugins), pid_file=str(pid_file))
    subprocess.run(["install", "-m", "0644", str(library), str(plugins)], check=True)
    os.kill(int(pid_file.read_text()), signal.SIGHUP)
    wait_until(lambda: [agent["command"] for agent in json.loads(request(proxy.port, "GET", "/v1/agents").body)["data"]] == ["/reverse"],
               timeout=30, message="/reverse to load")
    body = {"model": "tiny-a", "messages": [{"role": "user", "content": "/reverse stressed"}]}
    response = request(proxy.port, "POST", "/v1/chat/completions", json.dumps(body).encode())
    assert response.status == 200, response.body
    assert response.json()["choices"][0]["message"]["content"] == "desserts"
    usage = {"model": "tiny-a", "messages": [{"role": "user", "content": "/reverse"}]}
    refused = request(proxy.port, "POST", "/v1/chat/completions", json.dumps(usage).encode())
    assert refused.status == 400 and "usage: /reverse <text>" in refused.json()["error"]["message"], refused.body
    print(f"new plugin to served command in {time.monotonic() - started:.1f} s")


def test_new_plugin_refuses_bad_names_and_a_folder_in_use(tmp_path):
    for name in ("", "1st", "my-plugin", "Has Space", "x" * 65):
        result = new_plugin(name, cwd=tmp_path)
        assert result.returncode == 2 and "NAME must be letters and digits" in result.stderr, (name, result.stderr)
    (tmp_path / "Busy").mkdir()
    (tmp_path / "Busy" / "keep.txt").write_text("mine")
    result = new_plugin("Busy", cwd=tmp_path)
    assert result.returncode == 2 and "exists and is not empty" in result.stderr
    assert sorted(path.name for path in (tmp_path / "Busy").iterdir()) == ["keep.txt"]
    usage = new_plugin(cwd=tmp_path)
    assert usage.returncode == 2 and "usage: scripts/new-plugin NAME [FOLDER]" in usage.stderr
    assert shutil.which("swift"), "swift is needed to build a new plugin"
