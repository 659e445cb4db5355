"""The binary's own command line: --help, --version, --port overriding the config, bad config."""
import json
import os
import re
import signal
import subprocess

from http_client import request
from proxy_process import free_port


def test_help_and_version(proxy_binary):
    shown = subprocess.run([str(proxy_binary), "--help"], capture_output=True, text=True, timeout=10)
    assert shown.returncode == 0
    assert "--config" in shown.stdout
    version = subprocess.run([str(proxy_binary), "--version"], capture_output=True, text=True, timeout=10)
    assert version.returncode == 0
    assert version.stdout.startswith("llama-smart-proxy "), version.stdout


def test_version_names_swift_the_plugin_abi_and_the_configured_llama_server(start_proxy, proxy_binary, llama_server):
    proxy = start_proxy(model_files=("tiny-a",))
    result = subprocess.run([str(proxy_binary), "--config", str(proxy.config_path), "--version"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 4, lines
    assert re.fullmatch(r"llama-smart-proxy \d+\.\d+\.\d+", lines[0]), lines
    assert re.fullmatch(r"built with Swift \d+\.\d+(\.\d+)?( or later)?", lines[1]), lines
    assert re.fullmatch(r"plugin ABI \d+", lines[2]), lines
    own = subprocess.run([str(llama_server), "--version"], capture_output=True, text=True, timeout=30)
    first_line = (own.stdout + own.stderr).splitlines()[0]
    assert lines[3] == f"llama-server: {llama_server}: {first_line}", (lines[3], first_line)
    missing = subprocess.run([str(proxy_binary), "--config", "/nonexistent/config.json", "--version"],
                             capture_output=True, text=True, timeout=30)
    assert missing.returncode == 0
    assert missing.stdout.splitlines()[3] == "llama-server: unknown (/nonexistent/config.json: config file not found: /nonexistent/config.json)"


def test_the_pid_file_names_the_proxy_while_it_runs(start_proxy, tmp_path, proxy_binary):
    pid_file = tmp_path / "proxy.pid"
    proxy = start_proxy(model_files=("tiny-a",), pid_file=str(pid_file))
    assert pid_file.read_text() == f"{proxy.pid}\n"
    assert f" pid={proxy.pid} " in proxy.log() and f"pid_file={pid_file}" in proxy.log()
    # A second proxy refused the port leaves the running one's file alone.
    second = subprocess.run([str(proxy_binary), "--config", str(proxy.config_path)], capture_output=True, text=True, timeout=30)
    assert second.returncode != 0
    assert pid_file.read_text() == f"{proxy.pid}\n"
    # SIGHUP through the file reloads this proxy.
    os.kill(int(pid_file.read_text()), signal.SIGHUP)
    proxy.wait_for_log("reloaded configuration")
    proxy.signal(signal.SIGTERM)
    assert proxy.wait_exit() == 0
    assert not pid_file.exists()


def test_the_command_line_pid_file_wins_and_an_unwritable_one_stops_the_start(start_proxy, tmp_path, proxy_binary):
    given = tmp_path / "given.pid"
    proxy = start_proxy(model_files=("tiny-a",), pid_file=str(tmp_path / "configured.pid"), extra_args=["--pid-file", str(given)])
    assert given.read_text() == f"{proxy.pid}\n"
    assert not (tmp_path / "configured.pid").exists()
    # A path that is a folder cannot become the pid file (whoever runs the test, root included).
    folder = tmp_path / "a-folder"
    folder.mkdir()
    config_path = tmp_path / "second.json"
    config_path.write_text(json.dumps(dict(proxy.config, port=0)))
    result = subprocess.run([str(proxy_binary), "--config", str(config_path), "--pid-file", str(folder)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"cannot write the pid file {folder}: rename: Is a directory" in result.stderr, result.stderr
    assert sorted(path.name for path in tmp_path.iterdir() if ".tmp" in path.name) == []


def test_port_option_overrides_config(start_proxy):
    port = free_port()
    proxy = start_proxy(extra_args=["--port", str(port)], before_start=lambda p: setattr(p, "port", port))
    assert request(port, "GET", "/health").status == 200
    assert proxy.config["port"] != port


def test_invalid_config_fails_fast_with_a_message(tmp_path, proxy_binary):
    config = tmp_path / "config.json"
    config.write_text('{"llama_server": "/nonexistent/llama-server", "max_loaded": "two"}')
    result = subprocess.run([str(proxy_binary), "--config", str(config)], capture_output=True, text=True, timeout=10)
    assert result.returncode != 0
    assert "llama_server" in result.stderr or "max_loaded" in result.stderr


def test_unknown_option_is_an_error(proxy_binary):
    result = subprocess.run([str(proxy_binary), "--no-such-option"], capture_output=True, text=True, timeout=10)
    assert result.returncode != 0
