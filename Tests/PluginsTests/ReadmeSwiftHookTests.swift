import LlamaSmartProxyPluginSDK
import LlamaSmartProxyPluginTesting
import Synchronization
import Testing

// The Swift response hook of plugin-sdk/README.md, copied verbatim (keep the two the same), and
// its export under another name (this test bundle is no plugin).

final class NoApology: ResponseHook {
    let name = "no-apology"
    let summary = "Asks again, once, when an answer starts with an apology."
    /// The text of each stream so far, by exchange.
    private let texts = Mutex<[UInt64: String]>([:])

    func answer(_ answer: Answer) -> Verdict {
        switch answer.part {
        case .whole:
            return judge(answer.content ?? "", answer)
        case .chunk:
            texts.withLock { $0[answer.exchange, default: ""] += answer.content ?? "" }
            return .hold  // kept back until the verdict at .end
        case .end:
            return judge(texts.withLock { $0.removeValue(forKey: answer.exchange) } ?? "", answer)
        case .closed:
            texts.withLock { $0[answer.exchange] = nil }  // always last, exactly once
            return .pass
        }
    }

    private func judge(_ text: String, _ answer: Answer) -> Verdict {
        guard text.hasPrefix("I'm sorry") else { return .pass }  // at .end: the held chunks, then [DONE]
        guard answer.round == 0, let request = answer.requestAppending(messages: [
            .object(["role": .string("assistant"), "content": .string(text)]),
            .object(["role": .string("user"), "content": .string("No apologies, please: just answer.")]),
        ]) else { return .fail(status: 502, message: "the model only apologised") }
        answer.host.log("no-apology: asking again", level: .info)
        return .retry(requestJSON: request)
    }
}

func noApologyEntry() -> UnsafeRawPointer {
    PluginExport.descriptor(name: "no-apology", hooks: [NoApology()])
}

/// The README's hook, through the test host and the C ABI.
@Suite struct ReadmeSwiftHookTests {
    static let request = #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#

    func host() throws -> PluginTestHost {
        let host = PluginTestHost()
        try host.load(entry: noApologyEntry)
        return host
    }

    @Test func aWholeAnswerPassesOrIsAskedForAgainOnce() throws {
        let host = try host()
        #expect(try host.answer(hook: "no-apology", whole: CompletionAnswer.reply("Hi!").body, request: Self.request) == .pass)
        let exchange = host.newExchange()
        let sorry = CompletionAnswer.reply("I'm sorry, I can't").body
        #expect(try host.answer(hook: "no-apology", whole: sorry, request: Self.request, exchange: exchange, close: false)
            == .retry(requestJSON: #"{"model":"m","messages":[{"role":"user","content":"hi"},"#
                + #"{"content":"I'm sorry, I can't","role":"assistant"},{"content":"No apologies, please: just answer.","role":"user"}]}"#))
        #expect(try host.answer(hook: "no-apology", whole: sorry, request: Self.request, round: 1, exchange: exchange)
            == .fail(status: 502, message: "the model only apologised"))
        #expect(host.logLines.map(\.text) == ["no-apology: asking again"])
    }

    @Test func aStreamIsHeldToItsEndThenPassedOrRetried() throws {
        let host = try host()
        #expect(try host.answer(hook: "no-apology", chunks: StreamAnswer.deltas(["Hel", "lo"]).chunks, request: Self.request)
            == [.hold, .hold, .pass])
        let verdicts = try host.answer(hook: "no-apology", chunks: StreamAnswer.deltas(["I'm ", "sorry"]).chunks, request: Self.request)
        #expect(verdicts.count == 3 && verdicts.prefix(2) == [.hold, .hold])
        guard case .retry(let request)? = verdicts.last else {
            Issue.record("expected a retry at the end, got \(verdicts)")
            return
        }
        #expect(request.contains(#"{"content":"I'm sorry","role":"assistant"}"#))
    }

    /// The example of REFERENCE.md's `runExchange`.
    @Test func anApologyIsAskedForAgain() throws {
        let host = PluginTestHost()
        try host.load(entry: noApologyEntry)
        let result = try host.runExchange(hook: "no-apology", request: #"{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#,
                                          answers: [.deltas(["I'm ", "sorry"]), .deltas(["Hi", "!"])])
        #expect(result.content == "Hi!")
        #expect(result.requests.count == 2)
    }
}
