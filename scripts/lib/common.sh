# Shared by the scripts in scripts/: paths and small helpers. Source it, don't run it.
# shellcheck shell=bash

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache_root="${LLAMA_SMART_PROXY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llama-smart-proxy}"
# SWIFT_SCRATCH_PATH lets several checkouts or people build side by side without sharing .build/.
scratch_path="${SWIFT_SCRATCH_PATH:-$repo_root/.build}"
models_dir="$repo_root/models"
llama_server="$repo_root/.deps/llama-server"

say() { printf '==> %s\n' "$*" >&2; }

# 75 -> "1m15s", 3 -> "3s".
format_duration() {
    local seconds="$1"
    if [ "$seconds" -ge 60 ]; then printf '%dm%02ds' $((seconds / 60)) $((seconds % 60)); else printf '%ds' "$seconds"; fi
}

# `step LABEL command...`: runs the command in this shell (so it may set variables), then says
# how long it took and keeps the time for `step_summary`.
step_times=()
step() {
    local label="$1" start=$SECONDS
    shift
    say "$label"
    "$@"
    local took=$((SECONDS - start))
    step_times+=("$label $(format_duration "$took")")
    say "$label: done in $(format_duration "$took")"
}

# One line with every step's time, e.g. "setup took 12m40s: venv 35s, llama-server 10m2s".
step_summary() {
    local joined="" entry
    for entry in "${step_times[@]}"; do joined+="${joined:+, }$entry"; done
    say "$1 took $(format_duration "$SECONDS"): $joined"
}

# `show_build_progress LOG LABEL [--warnings]`: a filter for a build's output (scripts/lib/build-progress.py).
show_build_progress() {
    local log="$1" label="$2"
    shift 2
    "${PYTHON:-python3}" "$repo_root/scripts/lib/build-progress.py" --log "$log" --label "$label" "$@"
}
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The toolchain lives outside PATH on some machines (e.g. /opt/swift); find it before giving up.
find_swift() {
    if command -v swift >/dev/null 2>&1; then return 0; fi
    local candidate
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        if [ -x "$candidate/swift" ]; then
            export PATH="$candidate:$PATH"
            return 0
        fi
    done
    die "swift not found: install a Swift 6 toolchain and put it on PATH"
}

swift_build() { find_swift; swift build --scratch-path "$scratch_path" "$@"; }
