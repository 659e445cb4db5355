"""Starts the proxy binary with a temporary config and stops it, checking that no child survives."""
import json
import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

from http_client import request
from processes import is_alive, llama_servers, wait_until


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ProxyProcess:
    def __init__(self, binary: Path, workdir: Path, config: dict):
        self.binary = binary
        self.workdir = workdir
        self.config = config
        self.port = config["port"]
        self.host = config.get("host", "127.0.0.1")
        self.config_path = workdir / "config.json"
        self.log_path = workdir / "proxy.log"
        self.process: subprocess.Popen | None = None

    @property
    def models_dir(self) -> Path:
        return Path(self.config["models_dir"])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, extra_args=()) -> "ProxyProcess":
        self.config_path.write_text(json.dumps(self.config, indent=2))
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(self.binary), "--config", str(self.config_path), *extra_args],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir)
        log.close()
        wait_until(self._healthy, timeout=30, message=f"proxy /health on port {self.port}")
        return self

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"proxy exited with {self.process.returncode} at start:\n{self.log()}")
        try:
            return request(self.port, "GET", "/health", timeout=2, host=self.host).status == 200
        except OSError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_for_log(self, *texts: str, timeout: float = 10.0) -> str:
        """The log once every text is in it. Lines leave from the proxy's log writer thread, so
        one may appear just after the response it describes."""
        wait_until(lambda: all(text in self.log() for text in texts), timeout=timeout,
                   message=f"log lines with {texts!r}")
        return self.log()

    @property
    def pid(self) -> int:
        return self.process.pid

    def children(self):
        """The llama-server processes serving this proxy's models (found by their model path)."""
        return llama_servers(str(self.models_dir))

    def child_for(self, model_file: str):
        found = [child for child in self.children() if child.model_path.endswith(model_file)]
        assert len(found) <= 1, f"several llama-servers for {model_file}: {found}"
        return found[0] if found else None

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def wait_exit(self, timeout: float = 30) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it hangs; then every llama-server it started must be gone."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError("proxy did not exit within 20 s of SIGTERM")
        leftovers = self.children()
        for child in leftovers:  # never leave stray servers behind, even when the test fails
            if is_alive(child.pid):
                try:
                    os.kill(child.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        assert not leftovers, f"llama-server children outlived the proxy: {leftovers}"


def make_config(workdir: Path, demo_models: Path, llama_server: Path, model_files, **overrides) -> dict:
    """A config serving copies of the demo models from a folder of the test's own, so its children
    are recognisable by path. Copies, not links: the proxy may resolve links to the real file."""
    models_dir = workdir / "models"
    models_dir.mkdir(exist_ok=True)
    for name in model_files:
        shutil.copyfile(demo_models / f"{name}.gguf", models_dir / f"{name}.gguf")
    config = {
        "host": "127.0.0.1",
        "port": free_port(),
        "llama_server": str(llama_server),
        "models_dir": str(models_dir),
        "max_loaded": 1,
        "default_args": ["--threads", "1"],
        "models": {},
        "timeouts": {"load_seconds": 60, "queue_seconds": 60, "shutdown_grace_seconds": 30},
        "log_requests": True,
    }
    config.update(overrides)
    return config
