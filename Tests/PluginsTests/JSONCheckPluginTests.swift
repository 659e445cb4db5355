import Foundation
import LlamaSmartProxyPluginTesting
import TestSupport
import Testing

/// libSampling.so's `json-check` in the SDK's test host: an answer passes only once it is a JSON
/// object; the model is asked once more, with its answer and the problem, otherwise.
@Suite struct JSONCheckPluginTests {
    func host(answers: [String]) throws -> PluginTestHost {
        let asked = Counter()
        let host = PluginTestHost(streams: { _ in .deltas([answers[min(asked.next(), answers.count - 1)]]) })
        try host.load(library: BuiltProducts.library("libSampling.so"))
        return host
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value - 1
        }
    }

    @Test func asAModelsAgentItPassesAValidAnswerOnInJSONMode() async throws {
        let host = try host(answers: [#"{"ok": true}"#])
        // A model's agent is invoked with the client's request as it came: no command in it.
        let call = try await host.invoke(request: #"{"model":"strict","messages":[{"role":"user","content":"status?"}]}"#,
                                         asModelAgent: "json-check")
        #expect(call.outcome == .reply(#"{"ok": true}"#))
        try #require(host.streamRequests.count == 1)
        #expect(host.streamRequests[0].contains(#""response_format":{"type":"json_object"}"#))
        #expect(host.streamRequests[0].contains(#""content":"status?""#))
    }

    @Test func anInvalidAnswerIsAskedAgainOnceThenFails() async throws {
        let fixed = try host(answers: ["sure!", #"{"n": 1}"#])
        let call = try await fixed.invoke(messages: [.user("/json-check a number")])
        #expect(call.outcome == .reply(#"{"n": 1}"#))
        let again = fixed.streamRequests
        try #require(again.count == 2)
        #expect(again[1].contains("sure!") && again[1].contains("not valid JSON"))
        #expect(fixed.logLines.contains { $0.text.hasPrefix("json-check: asking again") })

        let hopeless = try host(answers: ["[1, 2]", "no"])
        let failed = try await hopeless.invoke(messages: [.user("/json-check a number")])
        #expect(failed.outcome == .fail(status: 502, message: "the model answered invalid JSON twice (it does not parse)"))
        #expect(hopeless.streamRequests.count == 2)
        #expect(hopeless.streamRequests[0].contains("not a JSON object") == false)
        #expect(hopeless.streamRequests[1].contains("not a JSON object"))
    }
}
