"""Finding processes through /proc, so tests can check which llama-server children exist."""
import os
import time
from dataclasses import dataclass


def wait_until(condition, timeout=20.0, interval=0.02, message="condition"):
    """Polls until condition() is truthy and returns its value; fails after `timeout` seconds.

    The timeout is a safety net against hangs, never the thing under test.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(interval)


def is_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie (a zombie has already exited)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return fields[0] not in (b"Z", b"X")


def command_line(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            raw = cmdline.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def parent_pid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None


@dataclass(frozen=True)
class LlamaServerProcess:
    pid: int
    argv: list[str]

    @property
    def model_path(self) -> str | None:
        return self.option("-m") or self.option("--model")

    def option(self, name: str) -> str | None:
        for index, arg in enumerate(self.argv[:-1]):
            if arg == name:
                return self.argv[index + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
        return None

    @property
    def endpoint(self):
        """("unix", path) or ("tcp", (host, port)): where this llama-server listens."""
        host = self.option("--host") or "127.0.0.1"
        if host.endswith(".sock"):
            return ("unix", host)
        return ("tcp", (host, int(self.option("--port") or 8080)))


def llama_servers(path_fragment: str) -> list[LlamaServerProcess]:
    """Live llama-server processes (or stand-ins) whose model path contains path_fragment,
    e.g. a test's temp folder or one model's file name."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        process = LlamaServerProcess(int(entry), command_line(int(entry)))
        model = process.model_path
        if model and path_fragment in model and is_alive(process.pid):
            found.append(process)
    # A wrapper script forks before it execs another program (`sleep`, the real server): for that
    # moment the fork has its parent's command line. It is the same process tree, not a second server.
    pids = {process.pid for process in found}
    return [process for process in found if parent_pid(process.pid) not in pids]


def children(pid: int) -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit() and parent_pid(int(entry)) == pid]


def rss_kib(pid: int) -> int:
    """Resident memory of a process, from /proc."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0
