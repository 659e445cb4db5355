import LlamaSmartProxyPluginTesting
import TestSupport
import Testing

/// libCompare.so in the SDK's test host: its sub-calls are answered by a scripted fake per model.
@Suite struct ComparePluginTests {
    func host() throws -> PluginTestHost {
        let host = PluginTestHost { request in
            if request.contains(#""model":"tiny-a""#) { return .reply("four") }
            if request.contains(#""model":"tiny-b""#) { return .reply("4") }
            return .error(status: 404, message: "model not found")
        }
        try host.load(library: BuiltProducts.library("libCompare.so"))
        return host
    }

    @Test func asksEachModelThroughTheHostAndAnswersSideBySide() throws {
        let host = try host()
        let call = try host.invoke(messages: [.user("/compare tiny-a,tiny-b,nope 2+2?")], extra: ["max_tokens": .int(5)])
        #expect(call.outcome == .reply("### tiny-a\nfour\n\n### tiny-b\n4\n\n### nope\n(error 404: model not found)"))
        let asked = host.completionRequests
        #expect(asked.count == 3)
        for model in ["tiny-a", "tiny-b", "nope"] {
            #expect(asked.contains { $0.contains(#""model":"\#(model)""#) && $0.contains(#""max_tokens":5"#) && $0.contains("2+2?") })
        }
    }

    @Test func oneModelIsAUsageError() throws {
        let host = try host()
        let call = try host.invoke(messages: [.user("/compare tiny-a 2+2?")])
        #expect(call.outcome == .fail(status: 400, message: "name at least two models; usage: /compare <model>,<model>[,...] <prompt>"))
        #expect(host.completionRequests == [])
    }
}
