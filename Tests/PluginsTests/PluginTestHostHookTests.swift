import LlamaSmartProxyPluginContract
import LlamaSmartProxyPluginSDK
import LlamaSmartProxyPluginTesting
import Synchronization
import Testing

/// Response hooks written with the Swift SDK, registered and called through the C ABI by the
/// test host, as the proxy does.
@Suite struct PluginTestHostHookTests {
    /// Each verdict on demand, by the answer's text: a whole body or chunk `"hold"`, `"drop"`,
    /// `"replace:TEXT"`, `"retry:JSON"`, `"fail:STATUS:MESSAGE"`; anything else passes. It counts
    /// the parts it saw per exchange, and forgets an exchange at CLOSED.
    final class Scripted: ResponseHook {
        let name = "scripted"
        let summary = "Does what the answer says."
        let seen = Mutex<[UInt64: [Answer.Part]]>([:])

        func answer(_ answer: Answer) -> Verdict {
            seen.withLock { $0[answer.exchange, default: []].append(answer.part) }
            let words = answer.data.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            switch words.first {
            case "hold": return .hold
            case "drop": return .drop
            case "replace": return .replace(words.dropFirst().joined(separator: ":"))
            case "retry": return .retry(requestJSON: words.dropFirst().joined(separator: ":"))
            case "fail": return .fail(status: Int(words[1]) ?? 0, message: words.count > 2 ? words[2] : "")
            default:
                if answer.part == .end { answer.host.log("end of round \(answer.round) for \(answer.model)") }
                return .pass
            }
        }
    }

    struct Forwarding: Agent {
        let command = "fwd"
        let summary = "Forwards the request; its answer goes through the scripted hook."
        let usage = "/fwd <prompt>"
        let responseHook: String? = "scripted"
        func handle(_ invocation: AgentInvocation) throws -> AgentOutcome { .patch(RequestPatch(lastUserText: invocation.arguments)) }
    }

    struct Plain: Agent {
        let command = "plain"
        let summary = "An agent written before response hooks."
        let usage = "/plain"
        func handle(_ invocation: AgentInvocation) throws -> AgentOutcome { .reply("plain") }
    }

    struct Named: ResponseHook {
        let name: String
        let summary = "Passes."
        func answer(_ answer: Answer) -> Verdict { .pass }
    }

    static let request = #"{"model":"tiny-a","messages":[{"role":"user","content":"hi"}]}"#

    @Test func aSwiftHookRegistersAndEachVerdictCrossesTheCABI() throws {
        let host = PluginTestHost()
        try host.load(hooks: [Scripted()])
        #expect(host.hooks == ["scripted"] && host.commands == [])
        func whole(_ body: String) throws -> HookVerdict { try host.answer(hook: "scripted", whole: body, request: Self.request) }
        #expect(try whole("anything") == .pass)
        #expect(try whole("replace:{\"new\":\"body\"}") == .replace(#"{"new":"body"}"#))
        #expect(try whole("retry:{\"model\":\"tiny-b\"}") == .retry(requestJSON: #"{"model":"tiny-b"}"#))
        #expect(try whole("fail:422:not today") == .fail(status: 422, message: "not today"))
        // The host's rule for a status outside 400...599, read from the C verdict.
        #expect(try whole("fail:200:fine") == .fail(status: 500, message: "fine"))
    }

    @Test func aStreamIsShownChunkByChunkThenEndedAndClosed() throws {
        let host = PluginTestHost()
        let hook = Scripted()
        try host.load(hooks: [hook])
        let exchange = host.newExchange()
        let verdicts = try host.answer(hook: "scripted", chunks: ["hold", "drop", "x"], request: Self.request, exchange: exchange)
        #expect(verdicts == [.hold, .drop, .pass, .pass])
        #expect(hook.seen.withLock { $0[exchange] } == [.chunk, .chunk, .chunk, .end, .closed])
        #expect(host.logLines.map(\.text) == ["end of round 0 for tiny-a"])
    }

    @Test func aRetryAtAChunkEndsTheRoundAsTheProxyStopsTheModelCall() throws {
        let host = PluginTestHost()
        let hook = Scripted()
        try host.load(hooks: [hook])
        let exchange = host.newExchange()
        let verdicts = try host.answer(hook: "scripted", chunks: ["hold", "retry:{}", "never shown"], request: Self.request,
                                       exchange: exchange)
        #expect(verdicts == [.hold, .retry(requestJSON: "{}")])
        #expect(hook.seen.withLock { $0[exchange] } == [.chunk, .chunk, .closed])
    }

    @Test func anAgentNamesItsHookAndAgentsWithoutOneStillLoad() throws {
        let host = PluginTestHost()
        try host.load(agents: [Forwarding(), Plain()], hooks: [Scripted()])
        #expect(try host.invoke(messages: [.user("/fwd hi")]).responseHook == "scripted")
        #expect(try host.invoke(messages: [.user("/plain")]).responseHook == nil)
    }

    @Test func onAProxyWithoutResponseHooksTheHookIsSkippedWithAWarning() throws {
        let older = PluginTestHost(supportsResponseHooks: false)
        try older.load(agents: [Plain()], hooks: [Scripted()])
        #expect(older.commands == ["plain"] && older.hooks == [])
        #expect(older.logLines == [PluginTestHost.LogLine(level: .warning, text: "response hook scripted skipped: this proxy predates response hooks")])
        #expect(throws: PluginTestError.refused("it registered no agent and no response hook")) {
            try PluginTestHost(supportsResponseHooks: false).load(hooks: [Scripted()])
        }
    }

    @Test func aHookNameTwiceOrAnInvalidOneRefusesThePlugin() throws {
        #expect(throws: PluginTestError.refused("registration failed (code -2): response hook twice is already registered by test-plugin")) {
            try PluginTestHost().load(hooks: [Named(name: "twice"), Named(name: "twice")])
        }
        #expect(throws: PluginTestError.refused("registration failed (code -1): invalid response hook name (use [a-z0-9_-]+)")) {
            try PluginTestHost().load(hooks: [Named(name: "Not Valid")])
        }
        #expect(throws: PluginTestError.noHook("missing")) {
            try PluginTestHost().answer(hook: "missing", whole: "{}", request: Self.request)
        }
    }
}
