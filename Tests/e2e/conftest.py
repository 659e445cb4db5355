"""Fixtures: paths to the binaries and demo models, and a factory that starts a proxy per test.

Paths come from the environment (scripts/test sets them) with defaults for a checkout:
LSP_PROXY_BINARY (.build/debug/llama-smart-proxy), LSP_LLAMA_SERVER (.deps/llama-server),
LSP_DEMO_MODELS (models/, made by scripts/make-demo-models.py).
"""
import os
from pathlib import Path

import pytest

from proxy_process import ProxyProcess, make_config

REPO = Path(__file__).resolve().parents[2]


def _path(variable: str, default: Path) -> Path:
    path = Path(os.environ.get(variable, default)).resolve()
    if not path.exists():
        pytest.exit(f"{variable}: {path} does not exist (run scripts/setup first)", returncode=3)
    return path


@pytest.fixture(scope="session")
def proxy_binary() -> Path:
    return _path("LSP_PROXY_BINARY", REPO / ".build/debug/llama-smart-proxy")


@pytest.fixture(scope="session")
def llama_server() -> Path:
    return _path("LSP_LLAMA_SERVER", REPO / ".deps/llama-server")


@pytest.fixture(scope="session")
def demo_models() -> Path:
    models = _path("LSP_DEMO_MODELS", REPO / "models")
    for name in ("tiny-a", "tiny-b", "tiny-c"):
        assert (models / f"{name}.gguf").exists(), f"missing demo model {name}.gguf in {models}"
    return models


@pytest.fixture
def start_proxy(tmp_path, proxy_binary, llama_server, demo_models):
    """start_proxy(model_files=("tiny-a", "tiny-b"), extra_args=(), **config overrides) -> ProxyProcess.

    Every proxy started is stopped at the end of the test, and must leave no llama-server behind.
    """
    started: list[ProxyProcess] = []

    def start(model_files=("tiny-a", "tiny-b"), extra_args=(), before_start=None, **overrides) -> ProxyProcess:
        workdir = tmp_path / f"proxy{len(started)}"
        workdir.mkdir()
        config = make_config(workdir, demo_models, overrides.pop("llama_server", llama_server), model_files, **overrides)
        proxy = ProxyProcess(proxy_binary, workdir, config)
        if before_start:
            before_start(proxy)
        started.append(proxy)
        return proxy.start(extra_args)

    yield start
    failures = []
    for proxy in started:
        try:
            proxy.stop()
        except AssertionError as error:
            failures.append(str(error))
        # Shown by pytest only when the test fails.
        print(f"---- proxy log ({proxy.log_path}) ----\n{proxy.log()[-6000:]}")
    assert not failures, "; ".join(failures)
