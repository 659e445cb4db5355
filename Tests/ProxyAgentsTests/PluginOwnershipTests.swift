import Foundation
import Glibc
import ProxyAgents
import Testing

/// What a reload does with files it cannot use and with two files claiming one command.
@Suite struct PluginOwnershipTests {
    @Test func everySkippedFileIsKeptWithItsReasonAndTheCommandsItWouldServe() throws {
        let fixtures = try PluginFixtures()
        let sysPrompt = try fixtures.addSysPrompt(as: "a-sysprompt.so")
        let writable = try fixtures.addCPlugin(as: "libReverse.so", .init(command: "reverse"))
        chmod(writable, 0o664)
        let duplicate = try fixtures.addSysPrompt(as: "z-sysprompt-again.so")
        try fixtures.addFile(as: "lib-not-a-command!.so", contents: "text\n")

        let registry = fixtures.loader.load(folder: fixtures.folder)

        #expect(registry.commands == ["help", "sys"])
        #expect(registry.problems == 3)
        let byPath = Dictionary(uniqueKeysWithValues: registry.skipped.map { ($0.path, $0) })
        #expect(byPath[writable] == SkippedPluginFile(
            path: writable, reason: "writable by group or others (mode 664)", commands: ["reverse"], commandsGuessed: true))
        let refused = try #require(byPath[duplicate])
        #expect(refused.commands == ["help"] && !refused.commandsGuessed, "it registered /help before being refused")
        #expect(refused.reason.contains("command /help is already registered by \(sysPrompt)"))
        let text = try #require(byPath[fixtures.folder + "/lib-not-a-command!.so"])
        #expect(text.commands == [] && text.commandsGuessed)
        #expect(registry.skippedFile(serving: "/reverse stressed")?.file.path == writable)
        #expect(registry.skippedFile(serving: "/help") == nil, "a loaded agent serves it")
    }

    @Test func theRunningPluginKeepsItsCommandWhenANewcomerClaimsIt() throws {
        let fixtures = try PluginFixtures()
        let running = try fixtures.addCPlugin(as: "zz-echo.so")
        let first = fixtures.loader.load(folder: fixtures.folder)
        #expect(first.agents["echo"]?.plugin.path == running)
        // A newcomer whose name sorts first claims /echo too: the running plugin keeps it.
        let newcomer = try fixtures.addCPlugin(as: "aa-echo.so")
        let second = fixtures.loader.load(folder: fixtures.folder, previous: first)
        #expect(second.agents["echo"]?.plugin.path == running)
        let skipped = try #require(second.skipped.first)
        #expect(skipped.path == newcomer && skipped.commands == ["echo"])
        #expect(skipped.reason.contains("command /echo is already registered by \(running)"))
        // And again on the next reload, whichever order the names have.
        let third = fixtures.loader.load(folder: fixtures.folder, previous: second)
        #expect(third.agents["echo"]?.plugin.path == running)
        // Once the running one is gone, the newcomer takes the command.
        unlink(running)
        let fourth = fixtures.loader.load(folder: fixtures.folder, previous: third)
        #expect(fourth.agents["echo"]?.plugin.path == newcomer)
        #expect(fourth.skipped.isEmpty)
    }

    @Test func aFileThatLoadedBeforeIsSkippedWithTheCommandsItServed() throws {
        let fixtures = try PluginFixtures()
        let path = try fixtures.addCPlugin(as: "echo.so")
        let first = fixtures.loader.load(folder: fixtures.folder)
        try fixtures.addFile(as: "echo.so", contents: "half a copy\n")
        let second = fixtures.loader.load(folder: fixtures.folder, previous: first)
        #expect(second.skipped.map(\.commands) == [["echo"]])
        #expect(second.skipped.first?.commandsGuessed == false)
        #expect(second.skipped.first?.path == path)
    }

    @Test func aRefusedFolderIsItsOneProblem() throws {
        let fixtures = try PluginFixtures()
        chmod(fixtures.folder, 0o777)
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.problems == 1 && registry.skipped.isEmpty)
        #expect(registry.folderProblem == "refusing folder \(fixtures.folder): writable by group or others (mode 777)")
    }
}
