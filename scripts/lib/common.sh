# Shared by the scripts in scripts/: paths and small helpers. Source it, don't run it.
# shellcheck shell=bash

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache_root="${LLAMA_SMART_PROXY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llama-smart-proxy}"
# SWIFT_SCRATCH_PATH lets several checkouts or people build side by side without sharing .build/.
scratch_path="${SWIFT_SCRATCH_PATH:-$repo_root/.build}"
models_dir="$repo_root/models"
llama_server="$repo_root/.deps/llama-server"

say() { printf '==> %s\n' "$*" >&2; }
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
