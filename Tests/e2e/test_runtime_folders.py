"""The runtime folder (/tmp/llama-smart-proxy-<pid>: model sockets, plugin copies) of a proxy
that was SIGKILLed is removed by the next proxy that starts; a running proxy's folder is not."""
import shutil
import signal
import tempfile
from pathlib import Path

from http_client import chat_body, request
from processes import wait_until


def runtime_folder(pid: int) -> Path:
    return Path(tempfile.gettempdir()) / f"llama-smart-proxy-{pid}"


def test_a_killed_proxys_folder_is_removed_at_the_next_start(start_proxy):
    killed = start_proxy(model_files=("tiny-a",))
    running = start_proxy(model_files=("tiny-b",))
    # A loaded model puts its socket in the folder, so the folder is not empty when the proxy dies.
    assert request(killed.port, "POST", "/v1/chat/completions", chat_body("tiny-a", "hi", max_tokens=1)).status == 200
    folder = runtime_folder(killed.pid)
    assert folder.is_dir() and any(folder.iterdir())
    killed.signal(signal.SIGKILL)
    killed.wait_exit()
    wait_until(lambda: not killed.children(), timeout=20, message="the killed proxy's llama-server to exit")
    assert folder.is_dir(), "SIGKILL leaves the folder behind"

    fresh = start_proxy(model_files=("tiny-b",))
    fresh.wait_for_log(f"removed stale runtime folder {folder}")
    assert not folder.exists()
    assert runtime_folder(running.pid).is_dir(), "a running proxy's folder stays"
    assert f"llama-smart-proxy-{running.pid}:" not in fresh.log()


def test_a_running_proxy_under_another_name_keeps_its_folder(start_proxy, tmp_path, proxy_binary):
    """Liveness is the folder's lock, not the executable's name: a renamed binary (or one run
    under a wrapper) keeps its sockets when another proxy starts and sweeps."""
    renamed = tmp_path / "lsp-renamed"
    shutil.copyfile(proxy_binary, renamed)
    renamed.chmod(0o755)

    def use_renamed(proxy):
        proxy.binary = renamed

    running = start_proxy(model_files=("tiny-a",), before_start=use_renamed)
    assert request(running.port, "POST", "/v1/chat/completions", chat_body("tiny-a", "hi", max_tokens=1)).status == 200
    folder = runtime_folder(running.pid)
    sockets = sorted(path.name for path in folder.glob("*.sock"))
    assert sockets, "the loaded model's socket is in the folder"

    sweeper = start_proxy(model_files=("tiny-b",))
    assert request(sweeper.port, "GET", "/health").status == 200
    assert f"llama-smart-proxy-{running.pid}" not in sweeper.log()
    assert sorted(path.name for path in folder.glob("*.sock")) == sockets
    assert request(running.port, "POST", "/v1/chat/completions", chat_body("tiny-a", "hi", max_tokens=1)).status == 200
    assert "refuses connections" not in running.log()
