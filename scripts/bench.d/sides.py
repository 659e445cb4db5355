"""The servers a benchmark compares, each started and stopped the same way: llama-server alone,
nginx in front of it, this proxy, and llama.cpp's own router mode (`llama-server --models-dir`).

Every side runs its llama-server children with the same arguments (LLAMA_ARGS), so only the
layer in front of them differs. Each side writes its log to a file of its own in the work folder.
"""
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from http_client import chat_body, request
from processes import is_alive, llama_servers, wait_until
from proxy_process import ProxyProcess, free_port

# Same llama-server arguments alone, behind the proxy and behind the router.
LLAMA_ARGS = ["--threads-http", "80"]


def healthy(port: int) -> bool:
    try:
        return request(port, "GET", "/health", timeout=2).status == 200
    except OSError:
        return False


def one_token_chat(port: int, model: str, timeout: float = 120) -> None:
    response = request(port, "POST", "/v1/chat/completions", chat_body(model, max_tokens=1), timeout=timeout)
    assert response.status == 200, f"{model}: {response.status} {response.body[:300]!r}"


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:  # a busy llama-server may ignore the first SIGTERM
            process.kill()
            process.wait()


def kill_leftovers(models_dir: Path) -> list:
    """Kills any llama-server still serving a model of models_dir; returns what it found."""
    leftovers = llama_servers(str(models_dir))
    for child in leftovers:
        if is_alive(child.pid):
            try:
                os.kill(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    return leftovers


class LlamaServerAlone:

    def __init__(self, binary: Path, model: Path, extra_args=()):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(binary), "-m", str(model), *LLAMA_ARGS, *extra_args, "--host", "127.0.0.1", "--port", str(self.port)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait_ready(self) -> "LlamaServerAlone":
        wait_until(lambda: healthy(self.port), timeout=120, interval=0.001, message="llama-server alone")
        return self

    def stop(self) -> None:
        stop_process(self.process)


class NginxReference:
    """nginx as a plain reverse proxy (upstream keep-alive, no buffering) in front of the same
    llama-server: the reference a proxy should keep up with on this machine."""

    def __init__(self, upstream_port: int, workdir: Path):
        self.port = free_port()
        workdir.mkdir(parents=True, exist_ok=True)
        self.config = workdir / "nginx.conf"
        self.config.write_text(f"""
worker_processes 1;
error_log {workdir}/error.log;
pid {workdir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  upstream llama {{ server 127.0.0.1:{upstream_port}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{self.port};
    location / {{ proxy_pass http://llama; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_buffering off; proxy_read_timeout 1h; }}
  }}
}}
""")
        subprocess.run(["nginx", "-c", str(self.config), "-p", str(workdir)], check=True)
        wait_until(lambda: healthy(self.port), timeout=10, interval=0.01, message="nginx")

    def stop(self) -> None:
        subprocess.run(["nginx", "-c", str(self.config), "-s", "stop"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class SmartProxy:
    """This proxy on a models folder. Loads are its `load model=X ... ready` lines plus its
    `load abandoned` lines (a start nobody waited for any more was a load all the same)."""
    LOAD = re.compile(r"(?m)^\S+ (load model=\S+ pid=\d+ ready|load abandoned model=)")

    def __init__(self, binary: Path, llama_server: Path, models: Path, workdir: Path, max_loaded: int,
                 llama_args=(), **config):
        workdir.mkdir(parents=True, exist_ok=True)
        self.models = models
        settings = {"host": "127.0.0.1", "port": free_port(), "llama_server": str(llama_server),
                    "models_dir": str(models), "max_loaded": max_loaded, "default_args": [*LLAMA_ARGS, *llama_args],
                    "log_requests": False, **config}
        self.process = ProxyProcess(binary, workdir, settings).start()
        self.port = self.process.port
        self.pid = self.process.pid

    def loads(self) -> int:
        return len(self.LOAD.findall(self.log()))

    def log(self) -> str:
        return self.process.log()

    def stop(self) -> None:
        self.process.stop()


def start_proxy(args, models: Path, workdir: Path, max_loaded: int, llama_args=()) -> SmartProxy:
    """The proxy under test as the command line asks (its binary, llama-server, --proxy-config)."""
    return SmartProxy(args.proxy, args.llama_server, models, workdir, max_loaded, llama_args, **args.proxy_config)


class RouterMode:
    """llama.cpp's router: `llama-server --models-dir DIR --models-max N`, which starts one child
    per model (the file name without .gguf is its name) and passes its other arguments on to
    them. Loads are its `spawning server instance` log lines."""
    SPAWN = re.compile(r"spawning server instance with name=")

    def __init__(self, binary: Path, models: Path, workdir: Path, models_max: int, llama_args=()):
        workdir.mkdir(parents=True, exist_ok=True)
        self.models = models
        self.port = free_port()
        self.log_path = workdir / "router.log"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(binary), "--models-dir", str(models), "--models-max", str(models_max), *LLAMA_ARGS,
                 *llama_args, "--host", "127.0.0.1", "--port", str(self.port)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
        self.pid = self.process.pid
        wait_until(self._healthy, timeout=60, interval=0.005, message="router mode /health")

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"router exited with {self.process.returncode} at start:\n{self.log()[-3000:]}")
        return healthy(self.port)

    def loads(self) -> int:
        return len(self.SPAWN.findall(self.log()))

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        stop_process(self.process)
        # The children watch their stdin and leave when the router is gone; give them a moment.
        deadline = time.monotonic() + 20
        while llama_servers(str(self.models)) and time.monotonic() < deadline:
            time.sleep(0.05)
        leftovers = kill_leftovers(self.models)
        assert not leftovers, f"router children outlived it: {leftovers}"
