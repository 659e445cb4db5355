import LlamaSmartProxyPluginTesting
import TestSupport
import Testing

/// libSampling.so in the SDK's test host: each agent sets one member and drops its command line.
@Suite struct SamplingPluginTests {
    static let request = #"{"model":"tiny-a","temperature":1,"messages":[{"role":"user","content":"/temp 0.25 say \"hi\""}],"max_tokens": 8}"#

    func host() throws -> PluginTestHost {
        let host = PluginTestHost()
        try host.load(library: BuiltProducts.library("libSampling.so"))
        return host
    }

    @Test func temperatureReplacesTheValueInPlace() throws {
        let call = try host().invoke(request: Self.request)
        #expect(call.outcome == .patch(json: #"{"temperature":0.25,"$last_user_text":"say \"hi\""}"#))
        #expect(try call.modelRequest()
            == #"{"model":"tiny-a","temperature":0.25,"messages":[{"role":"user","content":"say \"hi\""}],"max_tokens": 8}"#)
    }

    @Test func jsonModeAddsResponseFormatAfterTheLastMember() throws {
        let call = try host().invoke(request: #"{"model":"m","messages":[{"role":"user","content":"/json colours"}]}"#)
        #expect(try call.modelRequest()
            == #"{"model":"m","messages":[{"role":"user","content":"colours"}],"response_format":{"type":"json_object"}}"#)
    }

    @Test func modelSwitchChangesTheModelTheProxyRoutesBy() throws {
        let call = try host().invoke(request: #"{"model":"tiny-a","messages":[{"role":"user","content":"/model tiny-b\thello"}]}"#)
        #expect(try call.modelRequest() == #"{"model":"tiny-b","messages":[{"role":"user","content":"hello"}]}"#)
    }

    @Test(arguments: ["/temp hot hello", "/temp -1 hello", "/json", "/model tiny-b"])
    func badArgumentsFailWithTheUsageAndReachNoModel(_ message: String) throws {
        let call = try host().invoke(messages: [.user(message)])
        guard case .fail(400, let text) = call.outcome else {
            Issue.record("\(message): \(call.outcome)")
            return
        }
        #expect(text.hasPrefix("usage: /"))
        #expect(try call.modelRequest() == nil)
    }

    @Test func jsonCheckAsksAgainOnceWhenTheAnswerIsNotJSON() async throws {
        let host = PluginTestHost(streams: { request in
            request.contains("That is not valid JSON") ? .deltas([#"{"colours":"#, #"["red"]}"#]) : .deltas(["red, green"])
        })
        try host.load(library: BuiltProducts.library("libSampling.so"))
        let call = try await host.invoke(messages: [.user("/json-check three colours")])
        #expect(call.outcome == .reply(#"{"colours":["red"]}"#))
        let asked = host.streamRequests
        #expect(asked.count == 2 && asked.allSatisfy { $0.contains(#""response_format":{"type":"json_object"}"#) })
        #expect(asked[0].contains(#""content":"three colours""#))
        #expect(host.logLines.map(\.text) == ["json-check: asking again: it does not parse"])
    }

    @Test func jsonCheckFailsWith502AfterTwoInvalidAnswers() async throws {
        let host = PluginTestHost(streams: { _ in .deltas(["[1, 2]"]) })
        try host.load(library: BuiltProducts.library("libSampling.so"))
        let call = try await host.invoke(messages: [.user("/json-check numbers")])
        #expect(call.outcome == .fail(status: 502, message: "the model answered invalid JSON twice (not a JSON object)"))
    }
}
