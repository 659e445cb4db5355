"""Soak: mixed streaming and plain chat completions across three models with max_loaded 2, from 32
client threads at once, so the pool swaps models constantly. LSP_SOAK_SECONDS long (20 by
default; scripts/soak runs it for longer). Every response must be a complete 200, the proxy's
memory and file descriptors flat, and never more children than max_loaded."""
import json
import os
import random
import threading
import time

from http_client import RawConnection, chat_body, encode_request, sse_events
from resources import Footprint, raise_own_fd_limit
from processes import wait_until

MODELS = ("tiny-a", "tiny-b", "tiny-c")
CLIENTS = 32
MAX_LOADED = 2
SECONDS = float(os.environ.get("LSP_SOAK_SECONDS", "20"))
# Idle upstream keep-alive connections come and go with the pool (two per slot, -np 4, for each
# of the two loaded models), and the loaded pair differs between samples: that much fd noise is
# not a leak. A leak of one fd per request would be thousands after a run.
FD_TOLERANCE = 2 * 4 * MAX_LOADED + 8
# The allocator keeps freed pages and the log writer's buffer (up to 4 MiB) may fill: 16 MiB of
# slack. A leak of a request's body (about 150 bytes) plus its response (1 KiB) per request is far
# above that over a long run (scripts/soak); the short CI run mostly checks the mechanism.
RSS_TOLERANCE_KIB = 16 * 1024


class Client(threading.Thread):
    def __init__(self, port, index, stop):
        super().__init__(daemon=True)
        self.port, self.random, self.stop = port, random.Random(index), stop
        self.requests, self.errors = 0, []

    def run(self):
        connection = None
        while not self.stop.is_set() and len(self.errors) < 5:
            try:
                connection = connection or RawConnection.tcp(self.port, timeout=120)
                self.one_request(connection)
                self.requests += 1
            except Exception as error:  # every failure is counted and reported, none is retried
                self.errors.append(repr(error))
                if connection:
                    connection.close()
                connection = None
        if connection:
            connection.close()

    def one_request(self, connection):
        model = self.random.choice(MODELS)
        stream = self.random.random() < 0.5
        body = json.dumps(chat_body(model, max_tokens=self.random.randint(1, 8), stream=stream)).encode()
        connection.send(encode_request("POST", "/v1/chat/completions", body))
        response = connection.read_head()
        if response.status != 200:
            raise AssertionError(f"{model}: status {response.status}: "
                                 f"{b''.join(connection.body_pieces(response, 'POST'))[:200]!r}")
        if stream:
            events = list(sse_events(connection, response))
            assert events and events[-1] == b"[DONE]", f"{model}: stream ended without [DONE]: {events[-2:]}"
            assert all(json.loads(event)["object"] == "chat.completion.chunk" for event in events[:-1])
        else:
            response.body = b"".join(connection.body_pieces(response, "POST"))
            answer = response.json()
            assert answer["object"] == "chat.completion" and answer["model"] == model, answer


def run_clients(proxy, seconds, check):
    stop = threading.Event()
    clients = [Client(proxy.port, index, stop) for index in range(CLIENTS)]
    for client in clients:
        client.start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(client.is_alive() for client in clients):
        check()
        time.sleep(0.2)
    stop.set()
    for client in clients:
        client.join(timeout=150)
    assert not any(client.is_alive() for client in clients), "a client hung"
    errors = [error for client in clients for error in client.errors]
    assert not errors, f"{len(errors)} errors, e.g. {errors[:3]}"
    return sum(client.requests for client in clients)


def quiet_footprint(proxy):
    """With no client connected and no request in flight, once the models settle."""
    def settled():
        models = json.loads(RawConnection.tcp(proxy.port).request("GET", "/v1/models").body)["data"]
        return all(model["in_flight"] == 0 and model["queued"] == 0 and model["state"] in ("ready", "unloaded")
                   for model in models)
    wait_until(settled, timeout=30, interval=0.2, message="the pool to settle")
    return Footprint.of(proxy.pid)


def test_soak_mixed_requests_across_three_models_with_constant_swapping(start_proxy):
    raise_own_fd_limit(CLIENTS * 4)
    proxy = start_proxy(model_files=MODELS, max_loaded=MAX_LOADED,
                        timeouts={"load_seconds": 60, "queue_seconds": 120, "shutdown_grace_seconds": 30})
    most_children = [0]

    def check_children():
        count = len(proxy.children())
        most_children[0] = max(most_children[0], count)
        assert count <= MAX_LOADED, f"{count} llama-servers with max_loaded {MAX_LOADED}"

    warm_up = run_clients(proxy, min(5.0, SECONDS / 4), check_children)
    after_warm_up = quiet_footprint(proxy)
    served = run_clients(proxy, SECONDS, check_children)
    at_end = quiet_footprint(proxy)
    print(f"soak: {warm_up} + {served} requests in {SECONDS:.0f} s; after warm-up {after_warm_up}, at the end {at_end}")
    assert served > CLIENTS, "the soak hardly ran"
    assert most_children[0] == MAX_LOADED, "the models never swapped"
    assert at_end.fds <= after_warm_up.fds + FD_TOLERANCE, (after_warm_up, at_end)
    assert at_end.rss_kib <= after_warm_up.rss_kib + RSS_TOLERANCE_KIB, (after_warm_up, at_end)
    assert len(at_end.children) <= MAX_LOADED
