import LlamaSmartProxyPluginABI
import LlamaSmartProxyPluginContract
import ProxyJSON
import Synchronization

extension PluginTestHost {
    /// The last exchange id given, process-wide.
    static let exchanges = Atomic<UInt64>(0)

    /// `register_response_hook`: the proxy's checks of the `lsp_response_hook`
    /// (`ResponseHookEntry.read`), and no name twice.
    func register(_ hook: UnsafePointer<lsp_response_hook>) -> Int32 {
        state.withLock { state -> Int32 in
            guard state.registration != nil else {
                state.logLines.append(LogLine(level: .error, text: "register_response_hook called outside registration, ignored"))
                return -1
            }
            switch ResponseHookEntry.read(hook) {
            case .failure(let refusal):
                state.registration!.refusals.append(refusal.reason)
                return -1
            case .success(let entry):
                guard !state.registration!.acceptedHooks.contains(where: { $0.name == entry.name }) else {
                    state.registration!.refusals.append("response hook \(entry.name) is already registered by \(state.pluginName)")
                    return -2
                }
                state.registration!.acceptedHooks.append(entry)
                return 0
            }
        }
    }

    /// Shows one part of an answer to the hook `hook` through the C ABI, as the proxy does
    /// (`ResponseHookEntry.invoke`), and returns its verdict as the proxy reads it.
    public func answer(hook: String, call: AnswerCall) throws -> HookVerdict {
        guard let entry = state.withLock({ $0.hooks.first { $0.name == hook } }) else { throw PluginTestError.noHook(hook) }
        return entry.invoke(call)
    }

    /// A new exchange id, never given before in this process, by any test host: hosts that load
    /// the same library share its hooks, whose state is keyed by exchange (the proxy's ids are
    /// never reused either).
    public func newExchange() -> UInt64 {
        PluginTestHost.exchanges.add(1, ordering: .relaxed).newValue
    }

    /// A non-streamed 200 answer `body` (a `chat.completion`) to `request`, shown to `hook` as
    /// the proxy shows it: WHOLE, then CLOSED unless `close` is false (to go on with a next
    /// round in the same `exchange`). Returns the WHOLE's verdict.
    public func answer(hook: String, whole body: String, request: String, round: Int = 0,
                       exchange: UInt64? = nil, close: Bool = true) throws -> HookVerdict {
        let exchange = exchange ?? newExchange()
        let call = AnswerCall(exchange: exchange, round: round, part: .whole, data: Array(body.utf8),
                              requestJSON: Array(request.utf8), model: Self.model(of: request))
        let verdict = try answer(hook: hook, call: call)
        if close { try answer(hook: hook, closing: call) }
        return verdict
    }

    /// A 200 event stream of `chunks` (each one event's JSON) answering `request`, shown to
    /// `hook` as the proxy shows it: a CHUNK each, until a verdict that ends the round (RETRY,
    /// FAIL: the proxy stops the model call there); END when every chunk was shown and `ends`
    /// (false plays a stream cut off); then CLOSED unless `close` is false. Returns the verdicts
    /// of the CHUNKs and of the END, in order.
    public func answer(hook: String, chunks: [String], request: String, round: Int = 0,
                       exchange: UInt64? = nil, ends: Bool = true, close: Bool = true) throws -> [HookVerdict] {
        let exchange = exchange ?? newExchange()
        let call = AnswerCall(exchange: exchange, round: round, part: .chunk, requestJSON: Array(request.utf8),
                              model: Self.model(of: request))
        var verdicts: [HookVerdict] = []
        for chunk in chunks {
            var part = call
            part.data = Array(chunk.utf8)
            let verdict = try answer(hook: hook, call: part)
            verdicts.append(verdict)
            if verdict.endsRound { break }
        }
        if ends, verdicts.count == chunks.count, verdicts.last?.endsRound != true {
            var end = call
            end.part = .end
            verdicts.append(try answer(hook: hook, call: end))
        }
        if close { try answer(hook: hook, closing: call) }
        return verdicts
    }

    /// CLOSED for the exchange of `call` (its verdict is ignored, as the proxy ignores it).
    public func answer(hook: String, closing call: AnswerCall) throws {
        var closed = call
        closed.part = .closed
        closed.data = []
        _ = try answer(hook: hook, call: closed)
    }

    /// The request's `model`, as the proxy gives it to a hook ("" when it names none).
    static func model(of request: String) -> String {
        ((try? JSONScanner.scanRequestBody(Array(request.utf8)))?.model) ?? ""
    }
}

extension HookVerdict {
    /// RETRY and FAIL end the round: the proxy shows the hook nothing more of this answer.
    var endsRound: Bool {
        switch self {
        case .retry, .fail: return true
        case .pass, .replace, .drop, .hold: return false
        }
    }
}

extension PluginTestHost {
    /// Runs one whole exchange through `hook` as the proxy runs it, by the proxy's own rules
    /// (`ResponseHookState`): `request` is the client's (its `stream` says whether the client
    /// streams), `answers[n]` the model's answer to round n (a round past them gets a 503). The
    /// result is what the client would receive, every request the model was sent, and every
    /// part the hook was shown with its verdict. `maxRounds` is `limits.response_hook_rounds`,
    /// `maxWholeBytes` `limits.max_body_bytes` (the proxy's defaults).
    public func runExchange(hook: String, request: String, answers: [ModelAnswer], maxRounds: Int = 8,
                            maxWholeBytes: Int = 64 * 1024 * 1024) throws -> HookExchangeResult {
        guard let entry = state.withLock({ $0.hooks.first { $0.name == hook } }) else { throw PluginTestError.noHook(hook) }
        let body = Array(request.utf8)
        guard let summary = try? JSONScanner.scanRequestBody(body) else { throw PluginTestError.invalidRequest(request) }
        var run = HookExchangeRun(
            hook: entry, exchange: newExchange(), model: summary.model ?? "", answers: answers,
            state: ResponseHookState(clientStreams: summary.stream ?? false, maxRounds: maxRounds, maxWholeBytes: maxWholeBytes))
        return run.run(body)
    }
}
