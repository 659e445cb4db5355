"""A second proxy on a port already in use must fail at start, not share the port."""
import subprocess

from http_client import request


def test_second_proxy_on_a_used_port_exits_with_a_clear_message(start_proxy, proxy_binary):
    first = start_proxy(model_files=("tiny-a",))
    result = subprocess.run([str(proxy_binary), "--config", str(first.config_path)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0, "a second instance started on the same port"
    output = result.stdout + result.stderr
    assert str(first.port) in output and ("in use" in output.lower() or "EADDRINUSE" in output), output
    assert request(first.port, "GET", "/health").status == 200
