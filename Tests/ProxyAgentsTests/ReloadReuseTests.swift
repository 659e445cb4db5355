import Foundation
import ProxyAgents
import Synchronization
import Testing

/// A reload maps only new and changed libraries: an unchanged file keeps its loaded agents.
@Suite struct ReloadReuseTests {
    @Test func anUnchangedFileKeepsItsLoadedAgentsAndAChangedOneIsLoadedAgain() throws {
        let fixtures = try PluginFixtures()
        let path = try fixtures.addCPlugin(as: "echo.so")
        let first = fixtures.loader.load(folder: fixtures.folder)
        let loadedPath = try #require(first.agents["echo"]?.plugin.loadedPath)

        let second = fixtures.loader.load(folder: fixtures.folder, previous: first)
        #expect(second.agents["echo"]?.plugin.loadedPath == loadedPath)
        #expect(fixtures.log.contains("plugins: unchanged \(path)"))

        try FileManager.default.removeItem(atPath: path)
        try fixtures.addCPlugin(as: "echo.so", .init(command: "echo2"))
        let third = fixtures.loader.load(folder: fixtures.folder, previous: second)
        #expect(third.commands == ["echo2"])
        #expect(third.agents["echo2"]?.plugin.loadedPath != loadedPath)
    }

    @Test func anUnchangedPluginSeesTheNewConfigurationSection() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addCPlugin(as: "echo.so")
        let section = Mutex(#"{"v":1}"#)
        let loader = PluginLoader(privateDirectory: fixtures.privateDirectory, services: PluginServices(
            log: { _ in }, configJSON: { _ in section.withLock { $0 } }))
        let first = loader.load(folder: fixtures.folder)
        let agent = try #require(first.agents["echo"])
        #expect(agent.invoke(arguments: "config", requestJSON: "{}", model: "") == .reply(#"{"v":1}"#))
        section.withLock { $0 = #"{"v":2}"# }  // what a SIGHUP with a new plugin_config does
        let second = loader.load(folder: fixtures.folder, previous: first)
        #expect(second.agents["echo"]?.plugin.loadedPath == agent.plugin.loadedPath, "the file did not change")
        #expect(second.agents["echo"]?.invoke(arguments: "config", requestJSON: "{}", model: "") == .reply(#"{"v":2}"#))
    }
}
