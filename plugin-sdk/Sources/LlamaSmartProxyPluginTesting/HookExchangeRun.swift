import LlamaSmartProxyPluginContract

/// Drives one exchange through a hook with the proxy's own rules (`ResponseHookState`), the
/// model's answers scripted per round, the hook called through the C ABI. The proxy's driver
/// (`ResponseHookExchange`) does the same with real model calls; here every hook call returns
/// before the model's next event, one of the orders the proxy may see.
struct HookExchangeRun {
    /// One event of a round's model call.
    enum Input {
        case head(round: Int, status: Int, isEventStream: Bool)
        case event(round: Int, [UInt8])
        case body(round: Int, [UInt8])
        case ended(round: Int, complete: Bool)
    }

    let hook: ResponseHookEntry
    let exchange: UInt64
    let model: String
    let answers: [ModelAnswer]
    var state: ResponseHookState
    private var inputs: [Input] = []
    private var requestJSON: [UInt8] = []
    private var status = 0
    private var requests: [String] = []
    private var shown: [HookExchangeResult.Shown] = []
    private var events: [String] = []
    private var forwarded: [UInt8] = []
    private var response: HookExchangeResult.Response?

    init(hook: ResponseHookEntry, exchange: UInt64, model: String, answers: [ModelAnswer], state: ResponseHookState) {
        self.hook = hook
        self.exchange = exchange
        self.model = model
        self.answers = answers
        self.state = state
    }

    mutating func run(_ request: [UInt8]) -> HookExchangeResult {
        apply(state.start(request))
        while !inputs.isEmpty, !state.isClosed {
            let input = inputs.removeFirst()
            switch input {
            case .head(let round, let status, let isEventStream):
                if round == state.round { self.status = status }
                apply(state.answerHead(round: round, status: status, isEventStream: isEventStream))
            case .event(let round, let data): apply(state.event(round: round, data: data))
            case .body(let round, let piece): apply(state.answerBody(round: round, piece: piece[...]))
            case .ended(let round, let complete): apply(state.answerEnded(round: round, complete: complete))
            }
        }
        return HookExchangeResult(
            response: response ?? .failed(status: 500, message: "the test host's exchange ended without a response", code: "test_host"),
            requests: requests, shown: shown)
    }

    /// Sends a round's request (its `stream` already set to the client's by the state) and
    /// queues its scripted answer.
    private mutating func begin(round: Int, _ request: [UInt8]) {
        requestJSON = request
        requests.append(String(decoding: request, as: UTF8.self))
        let answer = round < answers.count ? answers[round]
            : .status(503, body: CompletionAnswer.error(status: 503, message: "no scripted answer for round \(round)").body)
        switch answer {
        case .whole(let body):
            inputs += [.head(round: round, status: 200, isEventStream: false), .body(round: round, Array(body.utf8)),
                       .ended(round: round, complete: true)]
        case .stream(let chunks, let complete) where state.clientStreams:
            inputs += [.head(round: round, status: 200, isEventStream: true)] + chunks.map { .event(round: round, Array($0.utf8)) }
                + [.ended(round: round, complete: complete)]
        case .stream(let chunks, let complete):
            // Not the shape asked for: the client gets the stream's bytes as they came.
            let bytes = chunks.map { "data: \($0)\n\n" }.joined() + (complete ? "data: [DONE]\n\n" : "")
            inputs += [.head(round: round, status: 200, isEventStream: true), .body(round: round, Array(bytes.utf8)),
                       .ended(round: round, complete: complete)]
        case .status(let status, let body):
            inputs += [.head(round: round, status: status, isEventStream: false), .body(round: round, Array(body.utf8)),
                       .ended(round: round, complete: true)]
        }
    }

    private mutating func apply(_ actions: [ResponseHookState.Action]) {
        for action in actions {
            switch action {
            case .ask(let round, let part, let data):
                let verdict = hook.invoke(AnswerCall(exchange: exchange, round: round, part: part, data: data,
                                                     requestJSON: requestJSON, model: model))
                shown.append(HookExchangeResult.Shown(round: round, part: part, verdict: verdict))
                apply(state.verdict(verdict, round: round))
            case .passThrough:
                forwarded = []
            case .forwardBody(let piece):
                forwarded += piece
            case .finishForwarded(let complete):
                response = .forwarded(status: status, body: String(decoding: forwarded, as: UTF8.self), complete: complete)
            case .sendWhole(let body):
                response = .whole(status: status, body: String(decoding: body, as: UTF8.self))
            case .startStream, .armDeadline, .pauseDeadline:
                break
            case .sendEvents(let sent):
                events += sent.map { String(decoding: $0, as: UTF8.self) }
            case .endStream:
                response = .stream(events: events, end: .done)
            case .startRound(let round, let request):
                inputs = []
                begin(round: round, request)
            case .stopCall:
                inputs = []
            case .fail(let status, let message, let code):
                // The proxy names the hook first, as here.
                response = .failed(status: status, message: "\(hook.name): \(message)", code: code)
            case .failStream(let status, let message, let code):
                response = .stream(events: events, end: .failed(status: status, message: "\(hook.name): \(message)", code: code))
            case .close:
                _ = hook.invoke(AnswerCall(exchange: exchange, round: state.round, part: .closed, requestJSON: requestJSON, model: model))
                shown.append(HookExchangeResult.Shown(round: state.round, part: .closed, verdict: nil))
            }
        }
    }
}
