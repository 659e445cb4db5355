"""The mixed trace: many clients in bursts over three models plus an agent-like client that
alternates two of them, with room for two models, replayed against this proxy and against
router mode (`llama-server --models-dir --models-max 2`), the same seeded trace for both.

What a scheduler decides shows in the loads it performs (each costs about a second with the
slow-loading bench models), the makespan (first send to last answer), and the latency tail.
"""
import json
import random
import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from http_client import RawConnection, chat_body, encode_request
from sides import RouterMode, start_proxy


@dataclass(frozen=True)
class TraceRequest:
    at: float  # seconds after the start when its client sends it (or once its previous one is answered)
    client: int  # 0 .. clients-1 are the burst clients; `clients` is the agent
    model: str
    max_tokens: int


@dataclass
class TraceShape:
    requests: int = 300
    clients: int = 16
    agent_requests: int = 60
    burst_sizes: tuple[int, int] = (4, 16)  # at most one request per client in a burst
    burst_spread_s: float = 0.3  # a burst's requests arrive within this
    mean_gap_s: float = 0.8  # mean time between the starts of two bursts (exponential)
    max_tokens: tuple[int, int] = (4, 32)
    # The first model gets half the bursts; the agent alternates the other two.
    burst_weights: tuple[float, float, float] = (0.5, 0.25, 0.25)
    # "one": every request of a burst asks for the burst's model; "mixed": each request of a
    # burst picks its own model (by the same weights), as clients that fan out over models do.
    burst_models: str = "one"


def make_trace(seed: int, models: list[str], shape: TraceShape) -> list[TraceRequest]:
    rng = random.Random(seed)
    trace = []
    now = 0.0
    burst_total = shape.requests - shape.agent_requests
    while len(trace) < burst_total:
        size = min(rng.randint(*shape.burst_sizes), burst_total - len(trace), shape.clients)
        model = rng.choices(models, weights=shape.burst_weights)[0]
        for client in rng.sample(range(shape.clients), size):
            if shape.burst_models == "mixed":
                model = rng.choices(models, weights=shape.burst_weights)[0]
            trace.append(TraceRequest(round(now + rng.uniform(0, shape.burst_spread_s), 4), client, model,
                                      rng.randint(*shape.max_tokens)))
        now += rng.expovariate(1 / shape.mean_gap_s)
    span = now
    agent_models = models[1:3]
    for index in range(shape.agent_requests):
        trace.append(TraceRequest(round(span * index / shape.agent_requests, 4), shape.clients,
                                  agent_models[index % 2], rng.randint(*shape.max_tokens)))
    return sorted(trace, key=lambda request: (request.at, request.client))


def reference_loads(trace: list[TraceRequest], room: int) -> dict:
    """Loads of two textbook caches serving the trace's requests one at a time in arrival order:
    least recently used, and Belady's MIN (evict the model needed again last: the fewest loads
    possible in that order). Real fronts serve many requests at once, so one load can serve a
    whole queue and they may do better than MIN; these only give the trace's scale."""
    sequence = [request.model for request in trace]
    next_use = [0] * len(sequence)
    seen: dict[str, int] = {}
    for index in range(len(sequence) - 1, -1, -1):
        next_use[index] = seen.get(sequence[index], len(sequence))
        seen[sequence[index]] = index

    lru_loads, recent = 0, []
    for model in sequence:
        if model in recent:
            recent.remove(model)
        else:
            lru_loads += 1
            if len(recent) == room:
                recent.pop(0)
        recent.append(model)

    min_loads, loaded = 0, {}  # model -> index of its next use
    for index, model in enumerate(sequence):
        if model not in loaded:
            min_loads += 1
            if len(loaded) == room:
                del loaded[max(loaded, key=loaded.get)]
        loaded[model] = next_use[index]
    return {"lru": lru_loads, "belady_min": min_loads}


@dataclass
class Outcome:
    request: TraceRequest
    sent: float
    answered: float
    status: int
    note: str = ""

    @property
    def latency_ms(self) -> float:
        return (self.answered - self.sent) * 1000


def replay(port: int, trace: list[TraceRequest], timeout: float = 900) -> tuple[list[Outcome], float]:
    """One thread per client, each with one keep-alive connection, sending its requests in order,
    each at its time or once the previous one is answered. Returns the outcomes and the makespan."""
    by_client: dict[int, list[TraceRequest]] = {}
    for item in trace:
        by_client.setdefault(item.client, []).append(item)
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    start = time.monotonic() + 0.2  # every thread ready before the first send

    def client(requests: list[TraceRequest]) -> None:
        connection = None
        for item in requests:
            delay = start + item.at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            body = json.dumps(chat_body(item.model, content="Tell me a story.", max_tokens=item.max_tokens)).encode()
            sent = time.monotonic()
            try:
                if connection is None:
                    connection = RawConnection.tcp(port, timeout=timeout)
                connection.send(encode_request("POST", "/v1/chat/completions", body))
                response = connection.read_response("POST")
                outcome = Outcome(item, sent, time.monotonic(), response.status,
                                  "" if response.status == 200 else response.body[:200].decode(errors="replace"))
                if (response.header("Connection") or "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, ConnectionError) as error:
                outcome = Outcome(item, sent, time.monotonic(), 0, f"{type(error).__name__}: {error}")
                if connection is not None:
                    connection.close()
                connection = None
            with lock:
                outcomes.append(outcome)
        if connection is not None:
            connection.close()

    threads = [threading.Thread(target=client, args=(requests,)) for requests in by_client.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    makespan = max(outcome.answered for outcome in outcomes) - start
    return outcomes, makespan


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 300 values is the 297th smallest)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summarize(outcomes: list[Outcome], makespan: float, loads: int, agent_client: int) -> dict:
    answered = [outcome.latency_ms for outcome in outcomes if outcome.status == 200]
    agent = [outcome.latency_ms for outcome in outcomes
             if outcome.status == 200 and outcome.request.client == agent_client]
    errors = [outcome for outcome in outcomes if outcome.status != 200]
    return {"loads": loads, "makespan_s": makespan, "p50_ms": percentile(answered, 0.50),
            "p99_ms": percentile(answered, 0.99), "agent_p50_ms": percentile(agent, 0.50),
            "errors": len(errors), "requests": len(outcomes),
            "error_samples": sorted({f"{e.status} {e.note}"[:160] for e in errors})[:3]}


# Two loaded models share this machine's cores: one thread each, as if each had a device of its own.
TRACE_LLAMA_ARGS = ["--threads", "1"]


def run_side(side: str, args, models: Path, workdir: Path, trace: list[TraceRequest]) -> dict:
    if side == "proxy":
        front = start_proxy(args, models, workdir, 2, TRACE_LLAMA_ARGS)
    else:
        front = RouterMode(args.llama_server, models, workdir, 2, llama_args=TRACE_LLAMA_ARGS)
    try:
        outcomes, makespan = replay(front.port, trace)
        time.sleep(0.3)  # log lines leave from writer threads
        return summarize(outcomes, makespan, front.loads(), agent_client=args.trace_clients)
    finally:
        front.stop()


def measure_trace(args, models: Path, model_names: list[str], workdir: Path) -> dict:
    shape = TraceShape(requests=args.trace_requests, clients=args.trace_clients,
                       agent_requests=args.trace_agent_requests, burst_models=args.trace_burst_models)
    trace = make_trace(args.seed, model_names, shape)
    rounds = {"proxy": [], "router": []}
    for round_number in range(args.trace_rounds):
        order = ("proxy", "router") if round_number % 2 == 0 else ("router", "proxy")
        for side in order:
            result = run_side(side, args, models, workdir / f"trace-{side}{round_number}", trace)
            rounds[side].append(result)
            print(f"  trace round {round_number + 1} {side:>6}: {result['loads']} loads, "
                  f"makespan {result['makespan_s']:.1f} s, p50 {result['p50_ms']:.0f} ms, "
                  f"p99 {result['p99_ms']:.0f} ms, {result['errors']} errors", flush=True)
            for sample in result["error_samples"]:
                print(f"    error: {sample}", flush=True)
    medians = {side: {key: statistics.median(r[key] for r in results)
                      for key in ("loads", "makespan_s", "p50_ms", "p99_ms", "agent_p50_ms", "errors")}
               for side, results in rounds.items()}
    spread = max(request.at for request in trace)
    return {"shape": {"requests": len(trace), "clients": shape.clients, "agent_requests": shape.agent_requests,
                      "models": model_names, "seed": args.seed, "arrival_span_s": spread,
                      "burst_models": shape.burst_models},
            "reference_loads": reference_loads(trace, 2),
            "rounds": rounds, "median": medians}
