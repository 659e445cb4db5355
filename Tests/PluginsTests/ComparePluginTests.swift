import LlamaSmartProxyPluginTesting
import TestSupport
import Testing

/// libCompare.so in the SDK's test host: its sub-calls are answered by scripted fakes per model,
/// streamed on a host with the reply functions, one completion each on an older host.
@Suite struct ComparePluginTests {
    static let library = BuiltProducts.library("libCompare.so")

    func olderHost() throws -> PluginTestHost {
        let host = PluginTestHost(supportsReplies: false) { request in
            if request.contains(#""model":"tiny-a""#) { return .reply("four") }
            if request.contains(#""model":"tiny-b""#) { return .reply("4") }
            return .error(status: 404, message: "model not found")
        }
        try host.load(library: Self.library)
        return host
    }

    func streamingHost() throws -> PluginTestHost {
        let host = PluginTestHost(streams: { request in
            request.contains(#""model":"tiny-a""#) ? .deltas(["fo", "ur"]) : .error(status: 404, message: "model not found")
        })
        try host.load(library: Self.library)
        return host
    }

    @Test func onAnOlderHostItAsksEachModelOnceAndAnswersSideBySide() throws {
        let host = try olderHost()
        let call = try host.invoke(messages: [.user("/compare tiny-a,tiny-b,nope 2+2?")], extra: ["max_tokens": .int(5)])
        #expect(!call.pending)
        #expect(call.outcome == .reply("### tiny-a\nfour\n\n### tiny-b\n4\n\n### nope\n(error 404: model not found)"))
        let asked = host.completionRequests
        #expect(asked.count == 3)
        for model in ["tiny-a", "tiny-b", "nope"] {
            #expect(asked.contains { $0.contains(#""model":"\#(model)""#) && $0.contains(#""max_tokens":5"#) && $0.contains("2+2?") })
        }
        #expect(host.streamRequests == [])
    }

    @Test func oneModelIsAUsageError() throws {
        let host = try olderHost()
        let call = try host.invoke(messages: [.user("/compare tiny-a 2+2?")])
        #expect(call.outcome == .fail(status: 400, message: "name at least two models; usage: /compare <model>,<model>[,...] <prompt>"))
        #expect(host.completionRequests == [])
    }

    @Test func itStreamsEachModelsAnswerAsTheModelWritesIt() async throws {
        let host = try streamingHost()
        let call = try await host.invoke(messages: [.user("/compare tiny-a,nope 2+2?")], extra: ["max_tokens": .int(5)])
        #expect(call.pending)
        #expect(call.deltas == ["### tiny-a\n", "fo", "ur", "\n\n### nope\n", "(error 404: model not found)"])
        #expect(call.outcome == .reply("### tiny-a\nfour\n\n### nope\n(error 404: model not found)"))
        let asked = host.streamRequests
        #expect(asked.count == 2 && asked[0].contains(#""model":"tiny-a""#) && asked[1].contains(#""model":"nope""#))
        #expect(asked.allSatisfy { $0.contains(#""max_tokens":5"#) })
        #expect(host.completionRequests == [])
    }

    @Test func aStreamedUsageErrorEndsTheReplyWithIt() async throws {
        let call = try await streamingHost().invoke(messages: [.user("/compare tiny-a 2+2?")])
        #expect(call.pending && call.deltas == [])
        #expect(call.outcome == .fail(status: 400, message: "name at least two models; usage: /compare <model>,<model>[,...] <prompt>"))
    }

    @Test func withoutAwaitAStreamedReplyIsStillPending() throws {
        let call = try streamingHost().invoke(messages: [.user("/compare tiny-a,nope 2+2?")])
        #expect(call.pending && call.outcome == .pending)
    }
}
