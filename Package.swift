// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: HTTPCodec (pure) <- ProxyHTTP (I/O); ProxyConfig <- ProxyResolver;
// ProxyPool knows only processes; ProxyAPI is the one place that ties them together. ProxyJSON
// (the JSON scanner, writer and request patcher) lives in plugin-sdk, so that the SDK's test host
// applies an agent's patch with the very code the proxy runs.
let proxyJSON: Target.Dependency = .product(name: "ProxyJSON", package: "plugin-sdk")

let package = Package(
    name: "llama-smart-proxy",
    products: [
        .executable(name: "llama-smart-proxy", targets: ["llama-smart-proxy"]),
        // Plugins are loaded at run time, never linked into the host.
        .library(name: "SysPrompt", type: .dynamic, targets: ["SysPrompt"]),
        .library(name: "Compare", type: .dynamic, targets: ["Compare"]),
        .library(name: "Sampling", type: .dynamic, targets: ["Sampling"]),
        .library(name: "Tools", type: .dynamic, targets: ["Tools"]),
    ],
    dependencies: [
        .package(path: "plugin-sdk"),
    ],
    targets: [
        .target(name: "CSystem"),
        // One clock and one timer thread, shared by every layer.
        .target(name: "ProxyTime"),
        .target(name: "HTTPCodec"),
        // The one endpoint type and the one host:port type, shared by the config, the pool and the HTTP layer.
        .target(name: "Endpoints"),
        .target(name: "ProxyHTTP", dependencies: ["HTTPCodec", "CSystem", "ProxyTime", "Endpoints", proxyJSON]),
        .target(name: "ProxyConfig", dependencies: ["Endpoints", proxyJSON, .product(name: "LlamaSmartProxyPluginContract", package: "plugin-sdk")]),
        .target(name: "ProxyResolver", dependencies: ["ProxyConfig"]),
        .target(name: "ProxyPool", dependencies: ["CSystem", "ProxyTime", "Endpoints"]),
        // What a model needs in memory before it starts (GGUF header, llama-server arguments),
        // and what llama-server reports once it runs. Pure except reading the GGUF header.
        .target(name: "ModelMemory"),
        .target(
            name: "ProxyAPI",
            dependencies: ["ProxyHTTP", "HTTPCodec", proxyJSON, "ProxyConfig", "ProxyResolver", "ProxyPool", "ProxyAgents", "CSystem", "ProxyTime", "ModelMemory", "Endpoints",
                           .product(name: "LlamaSmartProxyPluginContract", package: "plugin-sdk")]
        ),
        // ProxyAgents knows the plugin ABI only, not the HTTP layer.
        .target(name: "ProxyAgents", dependencies: [
            .product(name: "LlamaSmartProxyPluginABI", package: "plugin-sdk"),
            .product(name: "LlamaSmartProxyPluginContract", package: "plugin-sdk"),
        ]),
        .target(
            name: "SysPrompt",
            dependencies: [.product(name: "LlamaSmartProxyPluginSDK", package: "plugin-sdk")],
            path: "Plugins/SysPrompt"
        ),
        .target(
            name: "Compare",
            dependencies: [.product(name: "LlamaSmartProxyPluginSDK", package: "plugin-sdk")],
            path: "Plugins/Compare"
        ),
        .target(
            name: "Sampling",
            dependencies: [.product(name: "LlamaSmartProxyPluginSDK", package: "plugin-sdk"), proxyJSON],
            path: "Plugins/Sampling"
        ),
        .target(
            name: "Tools",
            dependencies: [.product(name: "LlamaSmartProxyPluginSDK", package: "plugin-sdk")],
            path: "Plugins/Tools"
        ),
        .executableTarget(name: "llama-smart-proxy", dependencies: ["ProxyAPI", "ProxyConfig"]),
        // A developer's tool: a model's memory estimate, or llama-server's own report, as JSON.
        .executableTarget(name: "llama-memory-estimate", dependencies: ["ModelMemory", proxyJSON]),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "HTTPCodecTests", dependencies: ["HTTPCodec", "TestSupport"]),
        .testTarget(name: "ProxyHTTPTests", dependencies: ["ProxyHTTP", "HTTPCodec", "ProxyTime", "Endpoints"]),
        .testTarget(name: "ProxyTimeTests", dependencies: ["ProxyTime"]),
        .testTarget(name: "ProxyJSONTests", dependencies: [proxyJSON, "TestSupport"]),
        .testTarget(name: "ProxyConfigTests", dependencies: ["ProxyConfig", "Endpoints"]),
        .testTarget(name: "ProxyAgentsTests", dependencies: [
            "ProxyAgents", "TestSupport", .product(name: "LlamaSmartProxyPluginContract", package: "plugin-sdk"),
        ]),
        // The shipped plugins, each loaded from its built library by the SDK's test host.
        .testTarget(name: "PluginsTests", dependencies: [
            "TestSupport", .product(name: "LlamaSmartProxyPluginTesting", package: "plugin-sdk"),
            .product(name: "LlamaSmartProxyPluginSDK", package: "plugin-sdk"), proxyJSON,
        ]),
        .testTarget(name: "ProxyAPITests", dependencies: ["ProxyAPI", "Endpoints"]),
        .testTarget(name: "ModelMemoryTests", dependencies: ["ModelMemory"]),
        .testTarget(name: "ProxyResolverTests", dependencies: ["ProxyResolver", "ProxyConfig"]),
        .testTarget(
            name: "ProxyPoolTests",
            dependencies: ["ProxyPool", "ProxyTime", "TestSupport", "Endpoints"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
