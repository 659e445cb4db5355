import LlamaSmartProxyPluginContract
import LlamaSmartProxyPluginTesting
import Testing

/// `PluginTestHost.runExchange`: a hook driven through whole exchanges by the proxy's rules
/// (`ResponseHookState`), the model's answers scripted per round.
@Suite struct HookExchangeRunTests {
    typealias Scripted = PluginTestHostHookTests.Scripted

    static let asked = #"{"model":"tiny-a","messages":[{"role":"user","content":"hi"}]}"#
    static let streamed = #"{"model":"tiny-a","stream":true,"messages":[{"role":"user","content":"hi"}]}"#

    func host() throws -> PluginTestHost {
        let host = PluginTestHost()
        try host.load(hooks: [Scripted()])
        return host
    }

    @Test func heldChunksGoOutAsTheyCameWhenAChunkPasses() throws {
        let result = try host().runExchange(hook: "scripted", request: Self.streamed, answers: [.stream(["hold", "hold:2", "x"])])
        #expect(result.response == .stream(events: ["hold", "hold:2", "x"], end: .done))
        #expect(result.requests == [Self.streamed])
        #expect(result.shown.map(\.part) == [.chunk, .chunk, .chunk, .end, .closed])
    }

    @Test func aRetryAtAChunkStopsTheCallAndTheNextRoundContinuesTheStream() throws {
        let retry = #"{"model":"tiny-b","messages":[]}"#
        let result = try host().runExchange(hook: "scripted", request: Self.streamed,
                                            answers: [.stream(["a", "retry:\(retry)", "never shown"]), .stream(["b"])])
        #expect(result.response == .stream(events: ["a", "b"], end: .done))
        // The proxy sets the new request's `stream` to the client's.
        #expect(result.requests == [Self.streamed, #"{"model":"tiny-b","messages":[],"stream":true}"#])
        #expect(result.shown == [
            .init(round: 0, part: .chunk, verdict: .pass), .init(round: 0, part: .chunk, verdict: .retry(requestJSON: retry)),
            .init(round: 1, part: .chunk, verdict: .pass), .init(round: 1, part: .end, verdict: .pass),
            .init(round: 1, part: .closed, verdict: nil),
        ])
    }

    @Test func aWholeAnswerIsReplacedOrFailedAndAnErrorIsForwardedUnshown() throws {
        let host = try host()
        #expect(try host.runExchange(hook: "scripted", request: Self.asked, answers: [.whole("replace:{}")]).response
            == .whole(status: 200, body: "{}"))
        #expect(try host.runExchange(hook: "scripted", request: Self.asked, answers: [.whole("fail:429:slow down")]).response
            == .failed(status: 429, message: "scripted: slow down", code: "hook_failed"))
        let error = try host.runExchange(hook: "scripted", request: Self.asked, answers: [.status(503, body: "busy")])
        #expect(error.response == .forwarded(status: 503, body: "busy", complete: true))
        #expect(error.shown == [.init(round: 0, part: .closed, verdict: nil)])
    }

    @Test func aVerdictThatDoesNotFitThePartAnswers500() throws {
        let result = try host().runExchange(hook: "scripted", request: Self.asked, answers: [.whole("hold")])
        guard case .failed(500, let message, "hook_failed") = result.response else {
            Issue.record("expected a 500, got \(result.response)")
            return
        }
        #expect(message.hasPrefix("scripted: the response hook's verdict"))
    }

    @Test func roundsPastTheLimitEndTheExchange() throws {
        let again = "retry:" + Self.asked
        let result = try host().runExchange(hook: "scripted", request: Self.asked, answers: [.whole(again), .whole(again)], maxRounds: 2)
        #expect(result.response == .failed(status: 500, message: "scripted: the response hook asked again more than 1 time(s) (limits.response_hook_rounds)",
                                           code: "hook_rounds_exceeded"))
        #expect(result.requests.count == 2 && result.shown.last == .init(round: 1, part: .closed, verdict: nil))
    }
}
