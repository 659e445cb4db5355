#!/usr/bin/env python3
"""Measures the proxy against llama-server alone, nginx and llama.cpp's router mode, in one run.

Parts (all by default; `--only trace,swap` picks some):
- trace: a seeded mixed trace (bursts from many clients over three slow-loading models, plus an
  agent-like client alternating two of them) with room for two models, this proxy against
  `llama-server --models-dir --models-max 2`: loads performed, makespan, p50 and p99 latency;
- throughput: wrk keep-alive one-token chat completions at 1, 16 and 64 connections against
  llama-server alone, nginx in front of it, the proxy and router mode: req/s, p50, p99;
- cold: a request to an unloaded demo model, to its first answer (and llama-server's own spawn
  to first answer);
- swap: with room for one model, a request to B while A is loaded;
- memory: the proxy's own RSS, idle and with 64 streams;
- instructions: instructions per request (callgrind) of the proxy and of nginx, each in front of
  the same stand-in upstream: repeatable on a busy machine, where wall-clock rates are not;
- affinity: a model with two replicas on a trace of 50 interleaved multi-turn conversations,
  prefix affinity against round-robin: prompt cache hit rate and time to first token.
Run through scripts/bench, which sets up and builds first. The code lives in scripts/bench.d/.
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "Tests/e2e"))
sys.path.insert(0, str(REPO / "scripts/bench.d"))

from instructions import measure_instructions  # noqa: E402
from affinity import affinity_table, measure_affinity  # noqa: E402
from mixed_trace import TRACE_LLAMA_ARGS, measure_trace  # noqa: E402
from model_switching import measure_cold_load, measure_swap  # noqa: E402
from proxy_memory import measure_memory  # noqa: E402
from sides import LlamaServerAlone, one_token_chat  # noqa: E402
from slow_models import make_slow_models  # noqa: E402
from tables import print_report  # noqa: E402
from warm_throughput import measure_throughput  # noqa: E402

PARTS = ("trace", "throughput", "cold", "swap", "memory", "instructions", "affinity")
TRACE_MODELS = ["bench-a", "bench-b", "bench-c"]


def parts(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in PARTS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"parts are {', '.join(PARTS)} (comma-separated), not {text!r}")
    return chosen


def json_object(text: str) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(f"not JSON: {error}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object")
    return value


def copy_models(source: Path, folder: Path, names: list[str]) -> Path:
    """The fronts serve copies in a folder of their own, so their children are told apart from
    any other llama-server on the machine (and the router finds exactly these)."""
    folder.mkdir(parents=True)
    for name in names:
        shutil.copyfile(source / f"{name}.gguf", folder / f"{name}.gguf")
    return folder


def load_time_ms(args, model: Path, rounds: int = 3) -> float:
    """llama-server alone, spawn to its first answer: what one load costs."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        server = LlamaServerAlone(args.llama_server, model, TRACE_LLAMA_ARGS)
        try:
            server.wait_ready()
            one_token_chat(server.port, model.stem)
            samples.append((time.perf_counter() - start) * 1000)
        finally:
            server.stop()
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--proxy", type=Path, default=REPO / ".build/release/llama-smart-proxy")
    parser.add_argument("--llama-server", type=Path, default=REPO / ".deps/llama-server")
    parser.add_argument("--models", type=Path, default=REPO / "models", help="the demo models (tiny-a, tiny-b)")
    parser.add_argument("--only", type=parts, default=list(PARTS), metavar="PART[,PART]",
                        help=f"run only these parts: {', '.join(PARTS)} (default: all)")
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--seconds", type=int, default=4, help="wrk duration per measurement")
    parser.add_argument("--throughput-rounds", type=int, default=3,
                        help="alternating rounds of llama-server alone, the proxy and router mode")
    parser.add_argument("--rounds", type=int, default=5, help="repetitions of the cold-load and swap timings")
    parser.add_argument("--trace-rounds", type=int, default=3, help="alternating rounds of the mixed trace per side")
    parser.add_argument("--trace-requests", type=int, default=300)
    parser.add_argument("--trace-clients", type=int, default=16, help="burst clients (the agent comes on top)")
    parser.add_argument("--trace-agent-requests", type=int, default=60,
                        help="of the trace's requests, those of the agent-like client")
    parser.add_argument("--trace-burst-models", choices=("one", "mixed"), default="one",
                        help="one: a burst asks for one model; mixed: each request of a burst picks its own")
    parser.add_argument("--trace-context", type=int, default=262144,
                        help="trained context of the generated trace models: what makes their load slow")
    parser.add_argument("--trace-layers", type=int, default=8, help="layers of the generated trace models")
    parser.add_argument("--affinity-rounds", type=int, default=1,
                        help="alternating rounds of the affinity trace per routing")
    parser.add_argument("--seed", type=int, default=8, help="seed of the mixed trace")
    parser.add_argument("--proxy-config", type=json_object, default={}, metavar="JSON",
                        help="keys merged into every proxy configuration, e.g. a scheduler setting to compare")
    parser.add_argument("--instruction-requests", type=int, nargs=2, default=[200, 1200], metavar=("LOW", "HIGH"),
                        help="requests of the two callgrind runs per side (their difference is what is counted)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--workdir", type=Path,
                        help="keep models, configurations and logs here (default: a temporary folder, removed)")
    args = parser.parse_args()
    args.proxy, args.llama_server, args.models = (path.resolve() for path in (args.proxy, args.llama_server, args.models))

    report = {"machine": {"cores": os.cpu_count(), "load_average_start": os.getloadavg()[0]}}
    with tempfile.TemporaryDirectory(prefix="lsp-bench-") as temp:
        workdir = Path(temp)
        if args.workdir:
            workdir = args.workdir.resolve()
            workdir.mkdir(parents=True, exist_ok=False)
        if "trace" in args.only:
            slow = workdir / "trace-models"
            make_slow_models(slow, TRACE_MODELS, args.trace_context, args.trace_layers)
            load_ms = load_time_ms(args, slow / "bench-a.gguf")
            print(f"trace models: one load (spawn to first answer) takes {load_ms:.0f} ms", flush=True)
            report["trace"] = {**measure_trace(args, slow, TRACE_MODELS, workdir), "load_ms": load_ms}
        demo = None
        if any(part in args.only for part in ("throughput", "cold", "swap", "memory")):
            demo = copy_models(args.models, workdir / "demo-models", ["tiny-a", "tiny-b"])
        if "memory" in args.only:
            report["memory"] = measure_memory(args, demo, workdir)
        if "throughput" in args.only:
            # Router mode must find the one model being measured only.
            alone = copy_models(args.models, workdir / "throughput-models", ["tiny-a"])
            report["throughput"] = measure_throughput(args, alone, workdir)
        if "cold" in args.only:
            report["cold_load"] = measure_cold_load(args, demo, workdir)
        if "swap" in args.only:
            report["swap"] = measure_swap(args, demo, workdir)
        if "instructions" in args.only:
            report["instructions"] = measure_instructions(args, workdir)
        if "affinity" in args.only:
            report["affinity"] = measure_affinity(args.llama_server, args.models, args.proxy, rounds=args.affinity_rounds)
    report["machine"]["load_average_end"] = os.getloadavg()[0]
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
