// swift-tools-version:6.0
import PackageDescription

// The plugin SDK: the C contract (include/llama_smart_proxy_plugin.h) and a Swift layer over it.
// It depends on nothing of the host, so a plugin outside this repository can depend on it by path.
// The host depends on it instead: on the ABI, on the contract rules and on ProxyJSON (the JSON code
// both sides share, so that the test host patches requests exactly as the proxy does).
let package = Package(
    name: "plugin-sdk",
    products: [
        .library(name: "LlamaSmartProxyPluginABI", targets: ["LlamaSmartProxyPluginABI"]),
        // The rules both sides of the ABI apply (toolchain, admission, reading agents and
        // outcomes, the command line): used by the SDK, the proxy and the SDK's test host.
        .library(name: "LlamaSmartProxyPluginContract", targets: ["LlamaSmartProxyPluginContract"]),
        .library(name: "LlamaSmartProxyPluginSDK", targets: ["LlamaSmartProxyPluginSDK"]),
        // For a plugin's own `swift test`: PluginTestHost registers and calls its agents through
        // the C ABI, answers their sub-calls with scripted fakes, and applies their patches with
        // the proxy's own patcher (ProxyJSON).
        .library(name: "LlamaSmartProxyPluginTesting", targets: ["LlamaSmartProxyPluginTesting"]),
        // The proxy's JSON code (scanner, writer, request patcher), shared with the host.
        .library(name: "ProxyJSON", targets: ["ProxyJSON"]),
    ],
    targets: [
        // Header only: the module map in include/ exposes the header, nothing is linked.
        .systemLibrary(name: "LlamaSmartProxyPluginABI", path: "include"),
        .target(name: "LlamaSmartProxyPluginContract", dependencies: ["LlamaSmartProxyPluginABI", "ProxyJSON"]),
        .target(name: "LlamaSmartProxyPluginSDK", dependencies: ["LlamaSmartProxyPluginABI", "LlamaSmartProxyPluginContract", "ProxyJSON"]),
        .target(name: "LlamaSmartProxyPluginTesting", dependencies: [
            "LlamaSmartProxyPluginABI", "LlamaSmartProxyPluginContract", "LlamaSmartProxyPluginSDK", "ProxyJSON",
        ]),
        // Pure Swift, no Foundation: the host's request path and the SDK's test host both use it.
        .target(name: "ProxyJSON"),
    ],
    swiftLanguageModes: [.v6]
)
