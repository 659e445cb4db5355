import Foundation
import ProxyAgents
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
}
