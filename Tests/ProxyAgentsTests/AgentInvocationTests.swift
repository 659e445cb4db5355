import Foundation
import ProxyAgents
import Testing

@Suite struct AgentInvocationTests {
    @Test func sysAnswersWithAPatchThroughTheCABI() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addSysPrompt(as: "sysprompt.so")
        let registry = fixtures.loader.load(folder: fixtures.folder)
        let match = try #require(registry.match("/sys Answer in French.\nWhat is two plus two?"))
        let request = #"{"model":"m","temperature":0.5,"messages":[{"role":"system","content":"old"},{"role":"user","content":"/sys ..."}]}"#

        let result = match.agent.invoke(arguments: match.arguments, requestJSON: request, model: "m")

        // A patch: the host applies it to the client's bytes (ProxyJSON's ChatRequestPatch tests).
        #expect(result == .patch(json: #"{"$last_user_text":"What is two plus two?","$system_prompt":"Answer in French."}"#))
    }

    @Test func sysWithoutAPromptFailsWithItsUsage() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addSysPrompt(as: "sysprompt.so")
        let agent = try #require(fixtures.loader.load(folder: fixtures.folder).agents["sys"])
        let result = agent.invoke(arguments: "", requestJSON: #"{"messages":[]}"#, model: "")
        #expect(result == .fail(status: 400, message: "usage: /sys <system prompt>\n<message>"))
    }

    @Test func helpRepliesWithTheAgentsUsages() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addSysPrompt(as: "sysprompt.so")
        let agent = try #require(fixtures.loader.load(folder: fixtures.folder).agents["help"])
        guard case .reply(let text) = agent.invoke(arguments: "", requestJSON: "{}", model: "") else {
            Issue.record("help did not reply"); return
        }
        #expect(text.contains("/help - Lists the available agents."))
        #expect(text.contains("/sys <system prompt>\n<message> - Sets the system prompt for this request."))
    }

    @Test func aCPluginReadsItsOwnConfigSection() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addCPlugin(as: "echo.so")
        let agent = try #require(fixtures.loader.load(folder: fixtures.folder).agents["echo"])
        #expect(agent.invoke(arguments: "config", requestJSON: "{}", model: "") == .reply(#"{"plugin":"c-echo"}"#))
    }

    @Test func aCPluginRunsAChatCompletionThroughTheHost() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addCPlugin(as: "echo.so")
        let services = PluginServices(log: { _ in }, completeChat: { request, completion in
            // Answered from another thread, as the pool would.
            DispatchQueue.global().async { completion(200, #"{"echo":\#(request)}"#) }
        })
        let loader = PluginLoader(privateDirectory: fixtures.privateDirectory, services: services)
        let agent = try #require(loader.load(folder: fixtures.folder).agents["echo"])
        let result = agent.invoke(arguments: #"complete {"model":"m"}"#, requestJSON: "{}", model: "")
        #expect(result == .reply(#"200 {"echo":{"model":"m"}}"#))
    }

    @Test func withoutAPoolAChatCompletionAnswers503() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addCPlugin(as: "echo.so")
        let agent = try #require(fixtures.loader.load(folder: fixtures.folder).agents["echo"])
        let result = agent.invoke(arguments: "complete {}", requestJSON: "{}", model: "")
        #expect(result == .reply(#"503 {"error":{"message":"no model pool is available to plugins","type":"server_error"}}"#))
    }
}
