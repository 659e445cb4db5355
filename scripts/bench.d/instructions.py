"""Instructions per request, counted by callgrind: this proxy and nginx (as a plain reverse
proxy), each in front of the same stand-in upstream (fake-llama-server: nginx answering a fixed
chat completion with timings), so only the layer in front differs. Instruction counts are
repeatable whatever else the machine is doing, where wall-clock rates here vary by ±10 %.

Each side serves `low` and then, in a fresh process, `high` requests over 4 keep-alive
connections; (instructions(high) - instructions(low)) / (high - low) leaves start-up and
shutdown out. Every thread of the process is counted.
"""
import json
import os
import re
import subprocess
import threading
from pathlib import Path

from http_client import RawConnection, chat_body, encode_request
from processes import wait_until
from proxy_process import free_port
from sides import healthy

FAKE_UPSTREAM = Path(__file__).resolve().parent / "fake-llama-server"
CONNECTIONS = 4
TOTALS = re.compile(r"(?m)^(?:summary|totals): (\d+)")


def send_requests(port: int, count: int) -> None:
    body = json.dumps(chat_body("fake", max_tokens=4)).encode()
    wire = encode_request("POST", "/v1/chat/completions", body, [("Content-Type", "application/json")])
    failures = []

    def client(requests: int) -> None:
        with RawConnection.tcp(port, timeout=120) as connection:
            for _ in range(requests):
                connection.send(wire)
                response = connection.read_response("POST")
                if response.status != 200:
                    failures.append(response.status)
                    return

    shares = [count // CONNECTIONS + (1 if index < count % CONNECTIONS else 0) for index in range(CONNECTIONS)]
    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"requests failed with {failures[:5]}")


def callgrind(command: list[str], workdir: Path, name: str) -> tuple[subprocess.Popen, Path]:
    out = workdir / f"{name}.callgrind"
    log = open(workdir / f"{name}.log", "wb")
    process = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command],
                               stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "TMPDIR": str(workdir)})
    return process, out


def finish(process: subprocess.Popen, out: Path) -> int:
    process.terminate()
    process.wait(timeout=120)
    return int(TOTALS.search(out.read_text(errors="replace")).group(1))


def proxy_run(args, workdir: Path, requests: int) -> int:
    workdir.mkdir(parents=True)
    port = free_port()
    (workdir / "plugins").mkdir()
    config = {"host": "127.0.0.1", "port": port, "llama_server": str(FAKE_UPSTREAM), "max_loaded": 1,
              "plugins_dir": str(workdir / "plugins"), "log_requests": True,
              "models": {"fake": {"path": str(args.models / "tiny-a.gguf"), "args": []}}}
    (workdir / "config.json").write_text(json.dumps(config))
    process, out = callgrind([str(args.proxy), "--config", str(workdir / "config.json")], workdir, "proxy")
    wait_until(lambda: healthy(port), timeout=120, interval=0.05, message="the proxy under callgrind")
    send_requests(port, 1)  # the model's start is part of start-up, in both runs
    send_requests(port, requests)
    return finish(process, out)


def nginx_run(workdir: Path, requests: int) -> int:
    workdir.mkdir(parents=True)
    socket_path = workdir / "upstream.sock"
    upstream = subprocess.Popen([str(FAKE_UPSTREAM), "--host", str(socket_path)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(workdir)})
    try:
        wait_until(socket_path.exists, timeout=30, interval=0.02, message="the stand-in upstream")
        port = free_port()
        config = workdir / "nginx.conf"
        config.write_text(f"""
worker_processes 1;
master_process off;
daemon off;
error_log {workdir}/error.log;
pid {workdir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  access_log {workdir}/access.log;
  client_body_temp_path {workdir};
  upstream llama {{ server unix:{socket_path}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{ proxy_pass http://llama; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_buffering off; }}
  }}
}}
""")
        process, out = callgrind(["nginx", "-c", str(config), "-p", str(workdir)], workdir, "nginx")
        wait_until(lambda: healthy(port), timeout=120, interval=0.05, message="nginx under callgrind")
        send_requests(port, 1)
        send_requests(port, requests)
        return finish(process, out)
    finally:
        upstream.terminate()
        upstream.wait(timeout=30)


def measure_instructions(args, workdir: Path) -> dict:
    low, high = args.instruction_requests
    result = {"requests": [low, high]}
    for side, run in (("nginx", lambda folder, count: nginx_run(folder, count)),
                      ("proxy", lambda folder, count: proxy_run(args, folder, count))):
        counts = [run(workdir / f"instructions-{side}-{count}", count) for count in (low, high)]
        result[side] = (counts[1] - counts[0]) / (high - low)
        print(f"  instructions {side:>6}: {result[side] / 1000:.1f}k per request", flush=True)
    result["ratio"] = result["proxy"] / result["nginx"]
    return result
