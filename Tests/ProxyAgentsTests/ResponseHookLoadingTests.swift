import LlamaSmartProxyPluginContract
import ProxyAgents
import Testing

/// Response hooks and `lsp_agent.response_hook` from plugins written in plain C, loaded by the
/// proxy's loader and called through the C ABI.
@Suite struct ResponseHookLoadingTests {
    static let request = Array(#"{"model":"m","messages":[]}"#.utf8)

    @Test func aCHookRegistersBesideItsAgentAndAnswersThroughTheCABI() throws {
        let fixtures = try PluginFixtures()
        let path = try fixtures.addCPlugin(as: "hooked.so", .init(agentResponseHook: #""c-hook""#, hook: "c-hook"))
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.commands == ["echo"])
        #expect(registry.agents["echo"]?.responseHook == "c-hook")
        let hook = try #require(registry.hooks["c-hook"])
        #expect(hook.summary == "Replaces, holds, retries." && hook.plugin.path == path)
        #expect(fixtures.log.contains("plugins: loaded \(path) (c-echo, sha256 \(hook.plugin.sha256)) from "))
        #expect(fixtures.log.contains(": /echo, response hook c-hook"))

        func call(_ part: AnswerPart, _ data: String = "") -> AnswerCall {
            AnswerCall(exchange: 7, round: 0, part: part, data: Array(data.utf8), requestJSON: Self.request, model: "m")
        }
        #expect(hook.invoke(call(.whole, #"{"choices":[]}"#)) == .replace(#"hooked {"choices":[]}"#))
        #expect(hook.invoke(call(.chunk, #"{"choices":[]}"#)) == .hold)
        #expect(hook.invoke(call(.end)) == .retry(requestJSON: #"{"model":"m","messages":[]}"#))
        #expect(hook.invoke(call(.closed)) == .pass)
        #expect(fixtures.log.contains("plugin c-echo info: closed exchange 7"))
    }

    @Test func anAgentOfTheFirstLayoutStillRegistersWithNoHook() throws {
        let fixtures = try PluginFixtures()
        // The field past its `size` holds a name the host would refuse, were it read.
        try fixtures.addCPlugin(as: "old.so", .init(agentSize: "offsetof(lsp_agent, response_hook)", agentResponseHook: #""NOT VALID""#))
        let registry = fixtures.loader.load(folder: fixtures.folder)
        let agent = try #require(registry.agents["echo"])
        #expect(agent.responseHook == nil)
        #expect(registry.hooks.isEmpty)
    }

    @Test func anAgentNamingAnInvalidHookIsRefused() throws {
        let fixtures = try PluginFixtures()
        let path = try fixtures.addCPlugin(as: "bad.so", .init(agentResponseHook: #""NOT VALID""#))
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.agents.isEmpty)
        #expect(fixtures.log.contains("skipped \(path): registration failed (code 1): agent /echo names an invalid response hook"))
    }

    @Test func aHookNameTakenByAnotherPluginSkipsTheNewcomer() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addCPlugin(as: "a.so", .init(command: "first", hook: "shared"))
        let second = try fixtures.addCPlugin(as: "b.so", .init(command: "second", hook: "shared"))
        let registry = fixtures.loader.load(folder: fixtures.folder)
        #expect(registry.commands == ["first"] && Array(registry.hooks.keys) == ["shared"])
        #expect(fixtures.log.contains("skipped \(second): registration failed (code 1): response hook shared is already registered by"))
    }
}
