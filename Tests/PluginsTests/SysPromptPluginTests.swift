import LlamaSmartProxyPluginSDK
import LlamaSmartProxyPluginTesting
import TestSupport
import Testing

/// libSysPrompt.so in the SDK's test host: `/sys` patches, `/help` lists every loaded agent.
@Suite struct SysPromptPluginTests {
    func host(otherAgents: [AgentListing] = []) throws -> PluginTestHost {
        let host = PluginTestHost(otherAgents: otherAgents)
        try host.load(library: BuiltProducts.library("libSysPrompt.so"))
        return host
    }

    @Test func registersHelpAndSys() throws {
        let host = try host()
        #expect(host.pluginName == "sys-prompt")
        #expect(host.commands == ["help", "sys"])
    }

    @Test func sysSetsTheSystemPromptAndKeepsEveryOtherByte() throws {
        let request = #"{"model": "tiny-a",  "temperature":0.50, "messages":[{"role":"user","content":"/sys Be terse.\nWhat is 2+2?"}]}"#
        let call = try host().invoke(request: request)
        #expect(call.arguments == "Be terse.\nWhat is 2+2?")
        #expect(call.model == "tiny-a")
        #expect(call.outcome == .patch(json: #"{"$last_user_text":"What is 2+2?","$system_prompt":"Be terse."}"#))
        #expect(try call.modelRequest()
            == #"{"model": "tiny-a",  "temperature":0.50, "messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"What is 2+2?"}]}"#)
    }

    @Test func sysReplacesAnExistingSystemMessage() throws {
        let call = try host().invoke(messages: [.system("Be verbose."), .user("/sys Be terse.\nHi")])
        #expect(try call.modelRequest()
            == #"{"messages":[{"content":"Be terse.","role":"system"},{"content":"Hi","role":"user"}],"model":"test-model"}"#)
    }

    @Test func sysWithoutAPromptFailsWithItsUsage() throws {
        let call = try host().invoke(messages: [.user("/sys")])
        #expect(call.outcome == .fail(status: 400, message: "usage: /sys <system prompt>\n<message>"))
        #expect(try call.modelRequest() == nil)
    }

    @Test func helpListsThisPluginsAgentsAndEveryOtherLoadedOne() throws {
        let host = try host(otherAgents: [AgentListing(command: "/temp", summary: "Sets the temperature.", usage: "/temp <x> <prompt>", plugin: "sampling")])
        let call = try host.invoke(messages: [.user("/help")])
        #expect(call.outcome == .reply("""
            /help - Lists the available agents.
            /sys <system prompt>
            <message> - Sets the system prompt for this request.
            /temp <x> <prompt> - Sets the temperature.
            """))
        #expect(host.agentListReads == 1)
        #expect(host.completionRequests == [])
    }

    @Test func aMessageWithoutARegisteredCommandReachesNoAgent() throws {
        #expect(throws: PluginTestError.noCommand("/system hi")) { try host().invoke(messages: [.user("/system hi")]) }
    }
}
