import Foundation
import Glibc
import ProxyAgents
import Testing

@Suite struct PluginLoadingTests {
    @Test func loadsTheRealSysPromptPluginWithItsPathAndHash() throws {
        let fixtures = try PluginFixtures()
        let path = try fixtures.addSysPrompt(as: "sysprompt.so")
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.commands == ["help", "sys"])
        let plugin = try #require(registry.agents["sys"]?.plugin)
        #expect(plugin.name == "sys-prompt")
        #expect(plugin.path == path)
        #expect(plugin.loadedPath.hasPrefix(fixtures.privateDirectory + "/"))
        #expect(plugin.sha256.count == 64)
        #expect(fixtures.log.contains("plugins: loaded \(path) (sys-prompt, sha256 \(plugin.sha256))"))
    }

    @Test func skipsEachBrokenPluginWithItsReasonAndLoadsTheRest() throws {
        let fixtures = try PluginFixtures()
        let sysPrompt = try fixtures.addSysPrompt(as: "a-sysprompt.so")
        try fixtures.addCPlugin(as: "b-echo.so")
        let abi = try fixtures.addCPlugin(as: "c-abi.so", .init(command: "abi", abiVersion: "999"))
        let noEntry = try fixtures.addCPlugin(as: "d-noentry.so", .init(command: "noentry", entrySymbol: "something_else"))
        let refusing = try fixtures.addCPlugin(as: "e-refuses.so", .init(command: "refuses", registrationResult: 7))
        let writable = try fixtures.addCPlugin(as: "f-writable.so", .init(command: "writable"))
        chmod(writable, 0o666)
        try fixtures.addFile(as: "g-text.so", contents: "not an ELF file\n")
        try fixtures.addFile(as: "notes.txt", contents: "ignored: not a .so\n")
        let duplicate = try fixtures.addSysPrompt(as: "z-sysprompt-again.so")

        let registry = fixtures.loader.load(folder: fixtures.folder)

        #expect(registry.commands == ["echo", "help", "sys"])
        #expect(registry.agents["sys"]?.plugin.path == sysPrompt)
        let log = fixtures.log
        #expect(log.contains("skipped \(abi): built for plugin ABI version 999, this host speaks 1"))
        #expect(log.contains("skipped \(noEntry): no entry symbol llama_smart_proxy_plugin_entry"))
        #expect(log.contains("skipped \(refusing): registration failed (code 7)"))
        #expect(log.contains("skipped \(writable): writable by group or others (mode 666)"))
        #expect(log.contains("skipped \(fixtures.folder)/g-text.so: not a loadable shared library"))
        #expect(log.contains("skipped \(duplicate): registration failed (code -2): command /help is already registered by \(sysPrompt)"))
        #expect(!log.contains("notes.txt"))
        #expect(log.contains("plugin c-echo info: registering /echo"))
    }

    @Test func refusesAFolderOthersCanWriteTo() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addSysPrompt(as: "sysprompt.so")
        chmod(fixtures.folder, 0o777)
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.agents.isEmpty)
        #expect(fixtures.log.contains("plugins: refusing folder \(fixtures.folder): writable by group or others (mode 777)"))
    }

    @Test func commandsTakenEarlierAreRefused() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addCPlugin(as: "echo.so")
        let registry = fixtures.loader.load(folder: fixtures.folder, taken: ["echo": "/elsewhere/echo.so"])
        #expect(registry.agents.isEmpty)
        #expect(fixtures.log.contains("command /echo is already registered by /elsewhere/echo.so"))
    }

    @Test func aPluginRewrittenInPlaceAfterLoadingKeepsWorking() throws {
        let fixtures = try PluginFixtures()
        let path = try fixtures.addCPlugin(as: "echo.so")
        let registry = fixtures.loader.load(folder: fixtures.folder)
        // What `cp new.so plugins/echo.so` does: truncate and rewrite the same inode.
        let descriptor = open(path, O_WRONLY | O_TRUNC)
        #expect(descriptor >= 0)
        _ = "garbage".withCString { write(descriptor, $0, 7) }
        close(descriptor)
        let agent = try #require(registry.agents["echo"])
        #expect(agent.invoke(arguments: "still here", requestJSON: "{}", model: "") == .reply("still here"))
    }
}
