// swift-tools-version:6.0
import PackageDescription

// The plugin SDK: the C contract (include/llama_smart_proxy_plugin.h) and a Swift layer over it.
// It depends on nothing of the host, so a plugin outside this repository can depend on it by path.
let package = Package(
    name: "plugin-sdk",
    products: [
        .library(name: "LlamaSmartProxyPluginABI", targets: ["LlamaSmartProxyPluginABI"]),
        .library(name: "LlamaSmartProxyPluginSDK", targets: ["LlamaSmartProxyPluginSDK"]),
    ],
    targets: [
        // Header only: the module map in include/ exposes the header, nothing is linked.
        .systemLibrary(name: "LlamaSmartProxyPluginABI", path: "include"),
        .target(name: "LlamaSmartProxyPluginSDK", dependencies: ["LlamaSmartProxyPluginABI"]),
    ],
    swiftLanguageModes: [.v6]
)
