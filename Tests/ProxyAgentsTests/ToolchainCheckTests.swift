import LlamaSmartProxyPluginContract
import ProxyAgents
import Testing

/// Real libraries whose descriptors name (or do not name) a toolchain, loaded by the real loader:
/// C plugins compiled here with `cc`, one of them linked to the Swift runtime like a Swift plugin.
@Suite struct ToolchainCheckTests {
    @Test func aPluginNamingAnotherSwiftIsSkippedWithTheReason() throws {
        let fixtures = try PluginFixtures()
        let path = try fixtures.addCPlugin(as: "libOld.so", .init(command: "old", toolchain: #""Swift 5.9""#))
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.agents.isEmpty)
        let skipped = try #require(registry.skipped.first)
        #expect(skipped.path == path)
        #expect(skipped.reason == "built with Swift 5.9, this proxy with \(SwiftToolchain.version): rebuild it with the proxy's toolchain")
        #expect(skipped.commands == ["old"] && skipped.commandsGuessed)
        #expect(fixtures.log.contains("plugins: skipped \(path): built with Swift 5.9, this proxy with"))
        // Refused before registration: the plugin never ran.
        #expect(!fixtures.log.contains("registering /old"))
    }

    @Test(arguments: [
        CPluginSource.Options(command: "null", toolchain: "NULL"),
        CPluginSource.Options(command: "c", toolchain: #""C""#),
        // Built before the field: the host must not read it (here it would be refused).
        CPluginSource.Options(command: "v1", toolchain: #""Swift 5.9""#, descriptorSize: "offsetof(lsp_plugin_descriptor, toolchain)"),
    ])
    func aCPluginWithoutASwiftToolchainLoads(options: CPluginSource.Options) throws {
        let fixtures = try PluginFixtures()
        try fixtures.addCPlugin(as: "plugin.so", options)
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.skipped == [])
        let agent = try #require(registry.agents[options.command])
        #expect(agent.invoke(arguments: "hi", requestJSON: "{}", model: "") == .reply("hi"))
    }

    @Test(arguments: [
        CPluginSource.Options(command: "v1", descriptorSize: "offsetof(lsp_plugin_descriptor, toolchain)"),
        CPluginSource.Options(command: "null", toolchain: "NULL"),
        CPluginSource.Options(command: "c", toolchain: #""C""#),
    ])
    func aLibraryOnTheSwiftRuntimeThatCannotProveItsToolchainIsSkipped(options: CPluginSource.Options) throws {
        var options = options
        options.linksSwiftRuntime = true
        let fixtures = try PluginFixtures()
        let path = try fixtures.addCPlugin(as: "plugin.so", options)
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.agents.isEmpty)
        let skipped = try #require(registry.skipped.first)
        #expect(skipped.path == path)
        #expect(skipped.reason.contains("uses the Swift runtime"), "\(skipped.reason)")
        #expect(skipped.reason.hasSuffix("rebuild it with the proxy's toolchain"))
    }

    @Test func aLibraryOnTheSwiftRuntimeNamingTheHostsToolchainLoads() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addCPlugin(as: "plugin.so", .init(command: "same", toolchain: "\"\(SwiftToolchain.version)\"", linksSwiftRuntime: true))
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.skipped == [])
        #expect(registry.commands == ["same"])
    }
}
