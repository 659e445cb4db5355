import Glibc
import LlamaSmartProxyPluginContract
import LlamaSmartProxyPluginTesting
import ProxyJSON
import TestSupport
import Testing

/// libSampling.so's `json-check` response hook in the SDK's test host: an answer passes only
/// once its message is a JSON object; otherwise it is asked for once more, then fails with 502.
@Suite(.serialized) struct JSONCheckPluginTests {
    static let request = #"{"model":"strict","temperature":0.5,"messages":[{"role":"user","content":"status?"}]}"#

    func host() throws -> PluginTestHost {
        let host = PluginTestHost()
        try host.load(library: BuiltProducts.library("libSampling.so"))
        return host
    }

    static func whole(_ content: String) -> String { CompletionAnswer.reply(content).body }
    static func chunks(_ texts: [String]) -> [String] { StreamAnswer.deltas(texts).chunks }

    /// The hook's count of exchanges it keeps text for, read from the loaded library.
    static func openExchanges() throws -> Int {
        let handle = try #require(dlopen(BuiltProducts.library("libSampling.so"), RTLD_NOW | RTLD_NOLOAD))
        let symbol = try #require(dlsym(handle, "sampling_json_check_open_exchanges"))
        return unsafeBitCast(symbol, to: (@convention(c) () -> Int).self)()
    }

    @Test func theLibraryRegistersTheHookBesideItsAgents() throws {
        let host = try host()
        #expect(host.hooks == ["json-check"])
        #expect(host.commands.contains("json-check"))
    }

    @Test func aValidWholeAnswerPassesAsItCame() throws {
        #expect(try host().answer(hook: "json-check", whole: Self.whole(#"{"ok": true}"#), request: Self.request) == .pass)
    }

    @Test func anInvalidWholeAnswerIsAskedForAgainWithWhatWasWrong() throws {
        let host = try host()
        let verdict = try host.answer(hook: "json-check", whole: Self.whole("sure!"), request: Self.request)
        guard case .retry(let retried) = verdict else {
            Issue.record("expected a retry, got \(verdict)")
            return
        }
        let problem = "it does not parse: invalid JSON at line 1, column 1: expected a value"
        #expect(retried == #"{"model":"strict","temperature":0.5,"messages":[{"role":"user","content":"status?"},"#
            + #"{"content":"sure!","role":"assistant"},{"content":"That is not valid JSON (\#(problem)). "#
            + #"Answer again with only the JSON object.","role":"user"}]}"#)
        #expect(host.logLines.map(\.text) == ["json-check: asking again: \(problem)"])
    }

    @Test func aSecondInvalidAnswerFailsWith502() throws {
        let host = try host()
        let exchange = host.newExchange()
        let first = try host.answer(hook: "json-check", whole: Self.whole("[1, 2]"), request: Self.request, exchange: exchange, close: false)
        guard case .retry(let retried) = first else {
            Issue.record("expected a retry, got \(first)")
            return
        }
        #expect(retried.contains("not a JSON object"))
        let second = try host.answer(hook: "json-check", whole: Self.whole("no"), request: retried, round: 1, exchange: exchange)
        guard case .fail(502, let message) = second else {
            Issue.record("expected a 502, got \(second)")
            return
        }
        #expect(message.hasPrefix("the model answered invalid JSON twice (it does not parse"))
    }

    @Test func aValidStreamIsHeldToItsEndThenPassed() throws {
        let verdicts = try host().answer(hook: "json-check", chunks: Self.chunks(["{\"n\"", ": 1", "}"]), request: Self.request)
        #expect(verdicts == [.hold, .hold, .hold, .pass])
    }

    @Test func anInvalidStreamIsAskedForAgainAtItsEndAndTheRetryStartsAfresh() throws {
        let host = try host()
        let exchange = host.newExchange()
        let first = try host.answer(hook: "json-check", chunks: Self.chunks(["sure", ", here"]), request: Self.request,
                                    exchange: exchange, close: false)
        #expect(first.dropLast() == [.hold, .hold])
        guard case .retry(let retried)? = first.last else {
            Issue.record("expected a retry at the end, got \(first)")
            return
        }
        #expect(retried.contains(#"{"content":"sure, here","role":"assistant"}"#))
        let second = try host.answer(hook: "json-check", chunks: Self.chunks(["{}"]), request: retried, round: 1, exchange: exchange)
        #expect(second == [.hold, .pass])
    }

    @Test func closedFreesWhatAStreamKept() throws {
        let host = try host()
        let before = try Self.openExchanges()
        let exchange = host.newExchange()
        let held = try host.answer(hook: "json-check", chunks: Self.chunks(["{\"cut"]), request: Self.request,
                                   exchange: exchange, ends: false, close: false)
        #expect(held == [.hold])
        #expect(try Self.openExchanges() == before + 1)
        try host.answer(hook: "json-check", closing: AnswerCall(exchange: exchange, round: 0, part: .closed,
                                                                requestJSON: Array(Self.request.utf8), model: "strict"))
        #expect(try Self.openExchanges() == before)
    }

    @Test func theCommandPatchesThePromptInJSONModeAndNamesTheHook() throws {
        let call = try host().invoke(request: #"{"model":"m","messages":[{"role":"user","content":"/json-check a colour"}]}"#)
        #expect(call.outcome == .patch(json: #"{"response_format":{"type":"json_object"},"$last_user_text":"a colour"}"#))
        #expect(try call.modelRequest()
            == #"{"model":"m","messages":[{"role":"user","content":"a colour"}],"response_format":{"type":"json_object"}}"#)
        #expect(call.responseHook == "json-check")
        let bare = try host().invoke(messages: [.user("/json-check")])
        #expect(bare.outcome == .fail(status: 400, message: "usage: /json-check <prompt>"))
    }

    @Test func asAModelsAgentItSetsJSONModeOnTheRequestAsItCame() async throws {
        let call = try await host().invoke(request: Self.request, asModelAgent: "json-check")
        #expect(try call.modelRequest() == #"{"model":"strict","temperature":0.5,"messages":[{"role":"user","content":"status?"}],"#
            + #""response_format":{"type":"json_object"}}"#)
        #expect(call.responseHook == "json-check")
    }
}

extension JSONCheckPluginTests {
    /// `json-check` driven through whole exchanges by the proxy's rules, as the proxy runs it
    /// (nested, so serialized with the tests above: they share the library's one hook).
    @Suite struct Exchanges {
        static let streamed = #"{"model":"strict","stream":true,"messages":[{"role":"user","content":"status?"}]}"#

        func host() throws -> PluginTestHost {
            let host = PluginTestHost()
            try host.load(library: BuiltProducts.library("libSampling.so"))
            return host
        }

        @Test func aValidAnswerReachesTheClientAsItCame() throws {
            let answer = CompletionAnswer.reply(#"{"ok": true}"#).body
            let result = try host().runExchange(hook: "json-check", request: JSONCheckPluginTests.request, answers: [.whole(answer)])
            #expect(result.response == .whole(status: 200, body: answer))
            #expect(result.requests.count == 1)
        }

        @Test func anInvalidStreamIsAskedForAgainAndTheClientGetsOnlyTheValidOne() throws {
            let before = try JSONCheckPluginTests.openExchanges()
            let result = try host().runExchange(hook: "json-check", request: Self.streamed,
                                                answers: [.deltas(["Sure: ", "{}"]), .deltas(["{\"ok\"", ": true}"])])
            #expect(result.content == #"{"ok": true}"#)
            guard case .stream(let events, .done) = result.response else {
                Issue.record("expected a whole stream, got \(result.response)")
                return
            }
            #expect(events == StreamAnswer.deltas(["{\"ok\"", ": true}"]).chunks)
            #expect(result.requests.count == 2 && result.requests[1].contains(#"{"content":"Sure: {}","role":"assistant"}"#))
            #expect(try JSONCheckPluginTests.openExchanges() == before)
        }

        @Test func twoInvalidAnswersFailWith502() throws {
            let result = try host().runExchange(hook: "json-check", request: JSONCheckPluginTests.request,
                                                answers: [.reply("no"), .reply("[1]")])
            #expect(result.response == .failed(status: 502, message: "json-check: the model answered invalid JSON twice (not a JSON object)",
                                               code: "hook_failed"))
        }

        @Test func aStreamCutBeforeItsEndIsAnErrorAndItsTextIsFreed() throws {
            let before = try JSONCheckPluginTests.openExchanges()
            let result = try host().runExchange(hook: "json-check", request: Self.streamed, answers: [.stream(StreamAnswer.deltas(["{"]).chunks, complete: false)])
            #expect(result.response == .failed(status: 502, message: "json-check: the model's answer ended before its end", code: "upstream_stream_cut"))
            #expect(try JSONCheckPluginTests.openExchanges() == before)
        }
    }
}
