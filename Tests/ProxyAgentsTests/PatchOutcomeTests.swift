import ProxyAgents
import Testing

/// The Sampling plugin's agents answer with patches (`LSP_OUTCOME_PATCH`) built by the SDK.
@Suite struct PatchOutcomeTests {
    func invoke(_ message: String, request: String = #"{"model":"m","messages":[]}"#) throws -> AgentResult {
        let fixtures = try PluginFixtures()
        try fixtures.addBuiltPlugin("libSampling.so", as: "sampling.so")
        let match = try #require(fixtures.loader.load(folder: fixtures.folder).match(message))
        return match.agent.invoke(arguments: match.arguments, requestJSON: request, model: "m")
    }

    @Test func temperatureSetsOneMemberAndTheNewText() throws {
        #expect(try invoke("/temp 0.25 say \"hi\"\nplease") == .patch(json: #"{"temperature":0.25,"$last_user_text":"say \"hi\"\nplease"}"#))
    }

    @Test func jsonModeSetsResponseFormat() throws {
        #expect(try invoke("/json colours") == .patch(json: #"{"response_format":{"type":"json_object"},"$last_user_text":"colours"}"#))
    }

    @Test func modelSwitchSetsTheModel() throws {
        #expect(try invoke("/model tiny-b\thello") == .patch(json: #"{"model":"tiny-b","$last_user_text":"hello"}"#))
    }

    @Test(arguments: ["/temp hot hello", "/temp -1 hello", "/temp 0.5", "/json", "/model tiny-b"])
    func badArgumentsFailWithTheUsage(_ message: String) throws {
        guard case .fail(400, let text) = try invoke(message) else { Issue.record("\(message) did not fail"); return }
        #expect(text.hasPrefix("usage: /"))
    }
}
