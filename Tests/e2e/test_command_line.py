"""The binary's own command line: --help, --version, --port overriding the config, bad config."""
import subprocess

from http_client import request
from proxy_process import free_port


def test_help_and_version(proxy_binary):
    shown = subprocess.run([str(proxy_binary), "--help"], capture_output=True, text=True, timeout=10)
    assert shown.returncode == 0
    assert "--config" in shown.stdout
    version = subprocess.run([str(proxy_binary), "--version"], capture_output=True, text=True, timeout=10)
    assert version.returncode == 0
    assert version.stdout.strip()


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
