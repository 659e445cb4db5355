import LlamaSmartProxyPluginTesting
import TestSupport
import Testing

/// libTools.so in the SDK's test host: `/calc`'s tool loop against a scripted model that first
/// asks for the calculator, then answers with the tool's result.
@Suite struct ToolsPluginTests {
    static let toolCall = #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call-1","type":"function","#
        + #""function":{"name":"calculate","arguments":"{\"expression\":\"(12.5 + 3) * 4\"}"}}]},"finish_reason":"tool_calls"}]}"#

    func host() throws -> PluginTestHost {
        let host = PluginTestHost(streams: { request in
            request.contains(#""role":"tool""#) ? .deltas(["It is ", "62."]) : StreamAnswer(chunks: [Self.toolCall])
        })
        try host.load(library: BuiltProducts.library("libTools.so"))
        return host
    }

    @Test func theModelsToolCallIsEvaluatedAndItsResultSentBack() async throws {
        let host = try host()
        let call = try await host.invoke(messages: [.user("/calc what is (12.5 + 3) * 4?")], model: "tiny-a")
        #expect(call.outcome == .reply("It is 62."))
        #expect(call.deltas == ["It is ", "62."])
        let asked = host.streamRequests
        #expect(asked.count == 2)
        #expect(asked.allSatisfy { $0.contains(#""name":"calculate""#) && $0.contains(#""model":"tiny-a""#) })
        // The second round carries the call and the calculator's answer.
        #expect(asked[1].contains(#""tool_call_id":"call-1""#) && asked[1].contains(#""content":"62""#), "\(asked[1])")
    }

    @Test func withoutAQuestionItFailsWithItsUsage() async throws {
        let call = try await host().invoke(messages: [.user("/calc")])
        #expect(call.outcome == .fail(status: 400, message: "usage: /calc <question>"))
    }

    @Test func anOlderHostIsToldItCannotRunTheLoop() throws {
        let host = PluginTestHost(supportsReplies: false)
        try host.load(library: BuiltProducts.library("libTools.so"))
        #expect(try host.invoke(messages: [.user("/calc 1+1")]).outcome
            == .fail(status: 501, message: "/calc needs a proxy whose agents can answer later"))
    }
}
