"""Replicas with prefix affinity: a model with `replicas: 2` runs as two llama-servers; each turn
of a conversation goes to the replica its start (system prompt and first user message) hashes
to, the answer names it (X-Llama-Proxy-Replica), and a replica that dies hands its
conversations to the other until it is back."""
import os
import re
import signal
from concurrent.futures import ThreadPoolExecutor

from http_client import request
from processes import is_alive, wait_until

REPLICA = "X-Llama-Proxy-Replica"


def start_replicas(start_proxy, **overrides):
    proxy = start_proxy(model_files=("tiny-a",), max_loaded=2, preload=["tiny-a"],
                        models={"tiny-a": {"path": "models/tiny-a.gguf", "replicas": 2}}, **overrides)
    wait_until(lambda: loads(proxy, "tiny-a") and loads(proxy, "tiny-a#2"), timeout=120, message="both replicas ready")
    return proxy


def loads(proxy, model: str) -> int:
    """How many times `model` finished a load."""
    return len(re.findall(rf"(?m)^.*\bload model={re.escape(model)} pid=\d+ ready in", proxy.log()))


def turn(proxy, conversation: int, answers: list[str]):
    """The next turn of conversation `conversation`, whose earlier answers are `answers`."""
    messages = [{"role": "system", "content": f"You are assistant number {conversation}."},
                {"role": "user", "content": f"Tell me about topic {conversation}."}]
    for index, answer in enumerate(answers):
        messages += [{"role": "assistant", "content": answer}, {"role": "user", "content": f"And then? ({index})"}]
    body = {"model": "tiny-a", "messages": messages, "max_tokens": 4, "temperature": 0}
    response = request(proxy.port, "POST", "/v1/chat/completions", body, timeout=120)
    assert response.status == 200, response.body
    answers.append(response.json()["choices"][0]["message"]["content"])
    return int(response.header(REPLICA))


def replica_child(proxy, number: int):
    """The llama-server of replica `number` (its socket is named after `tiny-a#2` as `tiny-a_2`)."""
    name = "tiny-a_2-" if number == 2 else "tiny-a-"
    found = [child for child in proxy.children() if os.path.basename(child.option("--host") or "").startswith(name)]
    return found[0] if len(found) == 1 else None


def test_each_conversation_sticks_to_one_replica_and_conversations_use_both(start_proxy):
    proxy = start_replicas(start_proxy)
    assert len(proxy.children()) == 2
    histories = {conversation: [] for conversation in range(10)}
    served: dict[int, list[int]] = {conversation: [] for conversation in histories}
    for _ in range(3):  # interleaved: every conversation's first turn, then every second turn, ...
        for conversation, answers in histories.items():
            served[conversation].append(turn(proxy, conversation, answers))
    for conversation, replicas in served.items():
        assert len(set(replicas)) == 1, f"conversation {conversation} moved: {replicas}"
    assert {replicas[0] for replicas in served.values()} == {1, 2}, served
    entry = request(proxy.port, "GET", "/v1/models/tiny-a").json()
    assert entry["replicas"] == 2
    assert [(r["replica"], r["state"], r["in_flight"]) for r in entry["replica_states"]] == [(1, "ready", 0), (2, "ready", 0)]


def test_a_killed_replicas_conversations_move_to_the_other_and_come_back(start_proxy):
    proxy = start_replicas(start_proxy)
    histories = {conversation: [] for conversation in range(10)}
    homes = {conversation: turn(proxy, conversation, answers) for conversation, answers in histories.items()}
    on_two = [conversation for conversation, home in homes.items() if home == 2]
    assert on_two, homes
    victim = replica_child(proxy, 2)
    assert victim is not None
    os.kill(victim.pid, signal.SIGKILL)
    wait_until(lambda: not is_alive(victim.pid), message="replica 2's llama-server to die")
    # Every request succeeds; replica 2's conversations are answered by replica 1 meanwhile.
    moved = [turn(proxy, conversation, histories[conversation]) for conversation in on_two]
    assert moved[0] == 1, moved
    # The next of its conversations' requests once it is gone (not while it is still stopping:
    # those may all come before its exit) starts replica 2 again, and is itself served by 1 ...
    def restarted():
        assert turn(proxy, on_two[0], histories[on_two[0]]) in (1, 2)
        return "replica warm start model=tiny-a#2" in proxy.log()
    wait_until(restarted, timeout=60, interval=0.2, message="replica 2 started again")
    wait_until(lambda: (child := replica_child(proxy, 2)) is not None and child.pid != victim.pid,
               timeout=120, message="a new llama-server for replica 2")
    wait_until(lambda: loads(proxy, "tiny-a#2") >= 2, timeout=120, message="replica 2 ready again")
    # ... and once it is ready they go back to it, while replica 1's stay where they were.
    for conversation, home in homes.items():
        assert turn(proxy, conversation, histories[conversation]) == home, (conversation, home)
    wait_until(lambda: "reason=exit" in proxy.log() or "reason=unreachable" in proxy.log(), timeout=10,
               message="replica 2's end logged")


def test_under_concurrent_load_conversations_stay_home_when_the_bound_allows(start_proxy):
    # A slack this large never skips a replica: what is left to check is that concurrency
    # (requests in flight on both replicas at once) does not move a conversation.
    proxy = start_replicas(start_proxy, scheduling={"replica_load_slack": 1000})
    histories = {conversation: [] for conversation in range(8)}

    def talk(conversation):
        return [turn(proxy, conversation, histories[conversation]) for _ in range(3)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        served = dict(zip(histories, pool.map(talk, histories)))
    for conversation, replicas in served.items():
        assert len(set(replicas)) == 1, f"conversation {conversation} moved: {replicas}"
    assert {replicas[0] for replicas in served.values()} == {1, 2}, served
