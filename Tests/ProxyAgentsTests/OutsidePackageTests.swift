import Foundation
import ProxyAgents
import Testing

/// A plugin in its own package, outside this repository, depending on plugin-sdk by path:
/// what a plugin author does, end to end.
@Suite struct OutsidePackageTests {
    static let manifest = #"""
    // swift-tools-version:6.0
    import PackageDescription

    let package = Package(
        name: "Hello",
        products: [.library(name: "Hello", type: .dynamic, targets: ["Hello"])],
        dependencies: [.package(path: "SDK_PATH")],
        targets: [
            .target(name: "Hello", dependencies: [.product(name: "LlamaSmartProxyPluginSDK", package: "plugin-sdk")]),
        ],
        swiftLanguageModes: [.v6]
    )
    """#

    static let source = #"""
    import LlamaSmartProxyPluginSDK

    struct Hello: Agent {
        let command = "hello"
        let summary = "Greets."
        let usage = "/hello <name>"
        func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
            invocation.host.log("greeting \(invocation.arguments)")
            return .reply("Hello, \(invocation.arguments)! \(invocation.host.configJSON())")
        }
    }

    struct Oops: Error {}

    struct Broken: Agent {
        let command = "broken"
        let summary = "Always throws."
        let usage = "/broken"
        func handle(_ invocation: AgentInvocation) throws -> AgentOutcome { throw Oops() }
    }

    @_cdecl("llama_smart_proxy_plugin_entry")
    public func entry() -> UnsafeRawPointer {
        PluginExport.descriptor(name: "hello", agents: [Hello(), Broken()])
    }
    """#

    @Test(.timeLimit(.minutes(5)))
    func aPluginBuiltOutsideTheRepositoryLoadsAndRuns() throws {
        let fixtures = try PluginFixtures()
        let package = try PluginFixtures.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: package) }
        let sdk = (PluginFixtures.sdkInclude as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: package + "/Sources/Hello", withIntermediateDirectories: true)
        try Self.manifest.replacingOccurrences(of: "SDK_PATH", with: sdk)
            .write(toFile: package + "/Package.swift", atomically: true, encoding: .utf8)
        try Self.source.write(toFile: package + "/Sources/Hello/Hello.swift", atomically: true, encoding: .utf8)

        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "--package-path", package, "--scratch-path", package + "/.build"]
        build.standardOutput = FileHandle.nullDevice
        try build.run()
        build.waitUntilExit()
        try #require(build.terminationStatus == 0)

        try FileManager.default.copyItem(atPath: package + "/.build/debug/libHello.so", toPath: fixtures.folder + "/hello.so")
        try fixtures.ownerWritableOnly(fixtures.folder + "/hello.so")
        try fixtures.addSysPrompt(as: "sysprompt.so")
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.commands == ["broken", "hello", "help", "sys"])
        let match = try #require(registry.match("/hello Ann"))
        let result = match.agent.invoke(arguments: match.arguments, requestJSON: "{}", model: "")
        #expect(result == .reply(#"Hello, Ann! {"plugin":"hello"}"#))
        #expect(fixtures.log.contains("plugin hello info: greeting Ann"))
        // A Swift agent that throws fails only its own request, as a 500 naming it.
        let broken = try #require(registry.match("/broken"))
        guard case .fail(500, let message) = broken.agent.invoke(arguments: "", requestJSON: "{}", model: "") else {
            Issue.record("a throwing agent must fail with 500")
            return
        }
        #expect(message.contains("agent /broken failed"))
    }
}
