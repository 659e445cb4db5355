"""ModelMemory's estimate against what llama-server itself reports, on generated models.

Three model sizes (scripts/make-sized-model.py; the middle one is split in two parts) at two
context lengths, plus a run without -c (the training context, 4 slots) and one with q8_0 KV
cache. For each, llama-memory-estimate (the tool over Sources/ModelMemory) gives the estimate
before the start; llama-server, run with -lv 4, logs its buffers as it loads and its
`memory breakdown [MiB]` table; llama-memory-estimate --report reads them back.

Tolerances (README, "Memory estimate"): weights and KV cache within llama-server's rounding of
its figures (0.01 MiB per buffer line); compute never below what is reported (less rounding) and
at most 10 % + 1 MiB above; the total within 5 %. Run with -s to see the figures.
"""
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from proxy_process import free_port

REPO = Path(__file__).resolve().parents[2]
MIB = 1 << 20
ROUNDING = 0.01 * MIB  # buffer lines print MiB with two decimals

SHAPES = {
    "small": ["--width", "256", "--layers", "4", "--feed-forward", "512", "--vocab", "1024"],
    "medium": ["--width", "512", "--layers", "6", "--heads", "8", "--kv-heads", "2", "--feed-forward", "1408",
               "--vocab", "8192", "--split-max-tensors", "30"],
    "large": ["--width", "1024", "--layers", "6", "--heads", "8", "--kv-heads", "2", "--feed-forward", "2816",
              "--vocab", "16384", "--type", "q8_0"],
}
TRAINING_CONTEXT = 16384
CASES = [(shape, ["-c", str(context)]) for shape in SHAPES for context in (2048, 8192)] + [
    ("small", []),
    ("medium", ["-c", "4096", "-np", "2", "-ctk", "q8_0", "-ctv", "q8_0"]),
]


@pytest.fixture(scope="session")
def memory_tool(proxy_binary) -> Path:
    tool = Path(os.environ.get("LSP_MEMORY_ESTIMATE", proxy_binary.with_name("llama-memory-estimate")))
    assert tool.exists(), f"{tool} is missing: swift build builds it beside the proxy"
    return tool


@pytest.fixture(scope="module")
def sized_models(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sized-models")
    models = {}
    for name, shape in SHAPES.items():
        subprocess.run([sys.executable, str(REPO / "scripts/make-sized-model.py"), str(folder / f"{name}.gguf"),
                        "--context", str(TRAINING_CONTEXT), *shape], check=True, stdout=subprocess.DEVNULL)
        split = "--split-max-tensors" in shape
        models[name] = folder / (f"{name}-00001-of-00002.gguf" if split else f"{name}.gguf")
        assert models[name].exists(), sorted(folder.iterdir())
    return models


def estimate(tool: Path, model: Path, arguments: list[str]) -> dict:
    done = subprocess.run([str(tool), str(model), *arguments], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def run_llama_server(llama_server: Path, model: Path, arguments: list[str]) -> tuple[str, int]:
    """Starts llama-server, waits until its task loop runs, stops it; returns its whole output
    and its resident memory then.

    A SIGTERM between `listening on` and the start of the loop is lost (the loop's start resets
    the stop request), so the signal waits for the loop's first `all slots are idle`."""
    process = subprocess.Popen(
        [str(llama_server), "-m", str(model), "--host", "127.0.0.1", "--port", str(free_port()), "-lv", "4", *arguments],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    idle = threading.Event()

    def read():
        for line in process.stdout:
            lines.append(line)
            if "all slots are idle" in line:
                idle.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        # A safety net against a hang, never the thing under test.
        assert idle.wait(timeout=180), "llama-server did not start:\n" + "".join(lines[-30:])
        rss = rss_bytes(process.pid)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(timeout=10)
    return "".join(lines), rss


def reports(tool: Path, output: str) -> list[dict]:
    done = subprocess.run([str(tool), "--report"], input=output, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def mib(value: float) -> str:
    return f"{value / MIB:8.2f}"


@pytest.mark.parametrize("shape,arguments", CASES, ids=[f"{s}:{' '.join(a) or 'defaults'}" for s, a in CASES])
def test_estimate_agrees_with_what_llama_server_reports(shape, arguments, sized_models, memory_tool, llama_server):
    model = sized_models[shape]
    expected = estimate(memory_tool, model, arguments)
    output, rss = run_llama_server(llama_server, model, arguments)
    found = reports(memory_tool, output)
    loads = [report for report in found if report["source"] == "buffer_lines"]
    tables = [report for report in found if report["source"] == "breakdown_table"]
    assert len(loads) == 1, f"one load expected, got {found}"
    # The fit's dry run (before the load) and the exit both print the table, with the same figures.
    assert len(tables) == 2 and tables[0]["total"] == tables[1]["total"], found
    load, table = loads[0], tables[-1]
    reported_compute = load["compute"] + load["output"]

    print(f"\n{shape:6s} {' '.join(arguments) or '(defaults)':34s} MiB  estimate: weights {mib(expected['weights'])}"
          f" kv {mib(expected['kv_cache'])} compute {mib(expected['compute'])} total {mib(expected['total'])}"
          f"  | reported: model {mib(load['model'])} context {mib(load['context'])} compute+output {mib(reported_compute)}"
          f" total {mib(load['total'])}  | table total {mib(table['total'])}  | rss {mib(rss)}"
          f"  | error {100 * (expected['total'] - load['total']) / load['total']:+.2f} %")

    parts = load["parts"]
    assert abs(expected["weights"] - load["model"]) <= ROUNDING * sum(1 for part in parts if part["model"]), (expected, load)
    assert abs(expected["kv_cache"] - load["context"]) <= ROUNDING, (expected, load)
    assert reported_compute - 2 * ROUNDING <= expected["compute"] <= reported_compute * 1.10 + MIB, (expected, load)
    assert abs(expected["total"] - load["total"]) <= 0.05 * load["total"], (expected, load)
    # The table is in whole MiB, rounded down per row and column.
    assert abs(expected["total"] - table["total"]) <= 0.05 * table["total"] + 4 * MIB, (expected, table)
