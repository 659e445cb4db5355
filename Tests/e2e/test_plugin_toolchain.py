"""A Swift plugin built before the descriptor named its toolchain, linked by the proxy's own
toolchain (so admitted: see test_first_sdk_plugins.py), loaded first, must not spoil the next
plugin's descriptor (the Swift runtime shares a C struct's type metadata by name across every
loaded library, so an SDK that sized the descriptor through generic code would allocate the
older, shorter layout). This one registers nothing, and is skipped for that."""
import json
import os
import subprocess
from pathlib import Path

import pytest

from http_client import request

REPO = Path(__file__).resolve().parents[2]
HEADER = REPO / "plugin-sdk/include/llama_smart_proxy_plugin.h"

MANIFEST = """// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Old",
    products: [.library(name: "Old", type: .dynamic, targets: ["Old"])],
    targets: [
        .systemLibrary(name: "OldABI", path: "include"),
        .target(name: "Old", dependencies: ["OldABI"]),
    ],
    swiftLanguageModes: [.v6]
)
"""

# What the SDK before the toolchain field did: the descriptor allocated and copied through
# generic code, so its layout registers with the runtime when this library is entered first.
SOURCE = """import OldABI

@_cdecl("llama_smart_proxy_plugin_entry")
public func entry() -> UnsafeRawPointer {
    let descriptor = UnsafeMutablePointer<lsp_plugin_descriptor>.allocate(capacity: 1)
    descriptor.initialize(to: lsp_plugin_descriptor(
        abi_version: LSP_PLUGIN_ABI_VERSION, size: UInt32(MemoryLayout<lsp_plugin_descriptor>.size),
        name: nil, context: nil, register_agents: { _, _ in 0 }))
    return UnsafeRawPointer(descriptor)
}
"""


@pytest.fixture(scope="module")
def old_swift_plugin(tmp_path_factory):
    package = tmp_path_factory.mktemp("old-plugin")
    (package / "include").mkdir()
    old_header = HEADER.read_text().replace("    const char *toolchain;\n", "")
    assert old_header != HEADER.read_text(), "the header's toolchain field moved: update this test"
    (package / "include/llama_smart_proxy_plugin.h").write_text(old_header)
    (package / "include/module.modulemap").write_text('module OldABI [system] {\n    header "llama_smart_proxy_plugin.h"\n    export *\n}\n')
    (package / "Sources/Old").mkdir(parents=True)
    (package / "Sources/Old/Old.swift").write_text(SOURCE)
    (package / "Package.swift").write_text(MANIFEST)
    built = subprocess.run(["swift", "build", "--package-path", str(package), "--scratch-path", str(package / ".build")],
                           capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return package / ".build/debug/libOld.so"


def test_an_old_swift_plugin_loaded_first_leaves_the_next_plugin_whole(start_proxy, proxy_binary, old_swift_plugin):
    def prepare(proxy):
        folder = proxy.workdir / "plugins"
        folder.mkdir(mode=0o755)
        os.chmod(folder, 0o755)
        # libOld.so sorts first, so its code runs before SysPrompt's.
        for library in (old_swift_plugin, proxy_binary.parent / "libSysPrompt.so"):
            (folder / library.name).write_bytes(library.read_bytes())
            (folder / library.name).chmod(0o644)
        proxy.config["plugins_dir"] = str(folder)
    proxy = start_proxy(before_start=prepare)
    listing = json.loads(request(proxy.port, "GET", "/v1/agents").body)
    assert [agent["command"] for agent in listing["data"]] == ["/help", "/sys"], listing
    [skipped] = listing["skipped"]
    assert skipped["path"].endswith("/libOld.so")
    # Admitted (the proxy's toolchain linked it), its registration ran: it registered nothing.
    assert skipped["reason"] == "it registered no agent and no response hook", skipped
