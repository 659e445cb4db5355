import Dispatch
import HTTPCodec
import LlamaSmartProxyPluginContract
import ProxyAgents
import ProxyHTTP
import ProxyTime
import Synchronization

/// One client request whose answer goes through a response hook: carries out
/// `ResponseHookState`'s actions on the request's loop. Each round is an `InProcessModelCall`
/// (the request goes to the model itself, past agents and hooks); the hook is called on a serial
/// queue of the exchange's own, so a slow plugin never holds the loop, and its verdicts hop back.
/// Loop-bound but for `currentRound`, which the queue reads to skip the calls of a stopped round.
final class ResponseHookExchange: @unchecked Sendable {
    let id: UInt64
    private let hook: LoadedResponseHook
    private let responder: HTTPResponder
    private let route: InProcessRoute
    private let model: String
    private let limits: ResponseHooks.Limits
    /// The exchange ended (for the request log and the metrics).
    private let ended: @Sendable (Ending) -> Void

    struct Ending: Sendable, Equatable {
        /// What the client got (499: it left).
        var status: Int
        /// For the request log, naming the hook.
        var note: String
        /// The metrics' label: answered, not_shown, failed, timeout, rounds_exceeded, client_gone.
        var outcome: String
    }
    private var state: ResponseHookState
    private let queue = DispatchQueue(label: "lsp-response-hook")
    private let currentRound = Atomic(0)
    private var call: InProcessModelCall?
    private var answerHead: HTTPResponseHead?
    private var requestJSON: [UInt8] = []
    private var deadline: TimerThread.Token?
    private var note: String
    private var outcome = "answered"
    private var clientLeft = false
    /// The model's answer was paused for back-pressure since it last went on.
    private var modelPaused = false

    init(id: UInt64, hook: LoadedResponseHook, responder: HTTPResponder, route: InProcessRoute, model: String, clientStreams: Bool,
         limits: ResponseHooks.Limits, ended: @escaping @Sendable (Ending) -> Void) {
        self.id = id
        self.hook = hook
        self.responder = responder
        self.route = route
        self.model = model
        self.limits = limits
        self.ended = ended
        // A whole answer is read up to what the proxy reads of any answer for itself.
        state = ResponseHookState(clientStreams: clientStreams, maxRounds: limits.maxRounds, maxWholeBytes: route.maxAnswerBytes)
        note = "answered through hook \(hook.name)"
    }

    private var loop: EventLoop { responder.loop }

    /// Sends the first round's request (`body` as the state sets it up).
    func start(_ body: [UInt8]) {
        loop.assertInLoop()
        responder.onClientGone = { [self] in
            clientLeft = true
            apply(state.clientGone())
        }
        // A client that does not read, or a hook that falls behind, pauses the model's answer.
        responder.onWritable = { [self] in resumeIfPaused() }
        apply(state.start(body))
    }

    // MARK: rounds

    private func begin(round: Int, _ request: [UInt8]) {
        guard let (handler, _) = route.current else {
            return apply(state.roundRefused("the proxy is not serving yet"))
        }
        requestJSON = request
        answerHead = nil
        currentRound.store(round, ordering: .releasing)
        let call = InProcessModelCall(loop: loop)
        self.call = call
        defer {
            call.pause { [weak self] in
                guard let self else { return false }
                let paused = !responder.isWritable || state.outstandingCalls >= Self.maxOutstandingCalls
                if paused { modelPaused = true }
                return paused
            }
        }
        call.begin(request, handler: handler, credentialToken: route.credentialToken, events: InProcessModelCall.Events(
            head: { [self] head, isEventStream in
                answerHead = head
                apply(state.answerHead(round: round, status: head.status, isEventStream: isEventStream))
            },
            event: { [self] data in apply(state.event(round: round, data: data)) },
            body: { [self] piece in apply(state.answerBody(round: round, piece: piece)) },
            end: { [self] complete in
                if self.call === call { self.call = nil }
                apply(state.answerEnded(round: round, complete: complete))
            }))
    }

    // MARK: the hook

    private func ask(round: Int, part: AnswerPart, data: [UInt8]) {
        let call = AnswerCall(exchange: id, round: round, part: part, data: data, requestJSON: requestJSON, model: model)
        queue.async { [self] in
            // A round stopped meanwhile (a RETRY or an error) is not shown any more of its answer.
            guard currentRound.load(ordering: .acquiring) == round else { return }
            let verdict = hook.invoke(call)
            switch verdict {
            case .retry, .fail: currentRound.store(-1, ordering: .releasing)
            default: break
            }
            loop.execute { [self] in
                apply(state.verdict(verdict, round: round))
                resumeIfPaused()
            }
        }
    }

    /// The model's answer was paused (by a client that did not read or a hook behind) and may go on.
    private func resumeIfPaused() {
        guard modelPaused, responder.isWritable, state.outstandingCalls < Self.maxOutstandingCalls else { return }
        modelPaused = false
        call?.resume()
    }

    /// The last call, after every other (the queue is serial): the plugin frees what it kept.
    private func showClosed() {
        let call = AnswerCall(exchange: id, round: state.round, part: .closed, requestJSON: requestJSON, model: model)
        queue.async { [hook] in _ = hook.invoke(call) }
    }

    // MARK: actions

    private func apply(_ actions: [ResponseHookState.Action]) {
        for action in actions {
            switch action {
            case .ask(let round, let part, let data):
                ask(round: round, part: part, data: data)
            case .passThrough:
                if let head = answerHead { responder.sendHead(Self.forwarded(head)) }
                note = "not shown to hook \(hook.name)"
                outcome = "not_shown"
            case .forwardBody(let piece):
                responder.sendBody(piece)
            case .finishForwarded(let complete):
                if complete { responder.finish() } else { responder.abort() }
            case .sendWhole(let body):
                let head = answerHead.map(Self.forwarded) ?? HTTPResponseHead(status: 200, headers: AgentReplyFormat.jsonHeaders)
                responder.respond(status: head.status, headers: head.headers, body: body)
            case .startStream:
                responder.sendHead(answerHead.map(Self.forwarded) ?? AgentReplyFormat.streamHead)
            case .sendEvents(let events):
                // A `data:` line per line: a hook's text may hold line breaks.
                for event in events { responder.sendBody(ServerSentEventStream.dataEvent(event)[...]) }
            case .endStream:
                responder.sendBody(AgentReplyFormat.done[...])
                responder.finish()
            case .startRound(let round, let request):
                call?.cancel()
                call = nil
                begin(round: round, request)
            case .stopCall:
                currentRound.store(-1, ordering: .releasing)
                let stopped = call
                call = nil
                stopped?.cancel()
            case .fail(let status, let message, let code):
                note = "\(code) (hook \(hook.name))"
                outcome = Self.outcome(of: code)
                OpenAIError(status: status, message: "\(hook.name): \(message)", type: "hook_error", code: code).send(to: responder)
            case .failStream(let status, let message, let code):
                note = "stream ended by error: \(code) (hook \(hook.name))"
                outcome = Self.outcome(of: code)
                let error = OpenAIError(status: status, message: "\(hook.name): \(message)", type: "hook_error", code: code)
                responder.sendBody(AgentReplyFormat.errorEvent(error)[...])
                responder.sendBody(AgentReplyFormat.done[...])
                responder.finish()
            case .armDeadline:
                if let deadline { TimerThread.shared.cancel(deadline) }
                let timeout = limits.timeout
                deadline = TimerThread.shared.schedule(after: timeout) { [self] in
                    loop.execute { [self] in apply(state.deadlinePassed(seconds: timeout)) }
                }
            case .pauseDeadline:
                if let deadline { TimerThread.shared.cancel(deadline) }
                deadline = nil
            case .close:
                responder.onClientGone = nil
                responder.onWritable = nil
                showClosed()
                ended(clientLeft
                    ? Ending(status: 499, note: "client gone (hook \(hook.name))", outcome: "client_gone")
                    : Ending(status: responder.status, note: note, outcome: outcome))
            }
        }
    }

    /// The model's head as the client gets it: the responder sets the framing.
    static func forwarded(_ head: HTTPResponseHead) -> HTTPResponseHead {
        var head = head
        head.headers = head.headers.removingHopByHopFields()
        head.headers.remove(name: "Content-Length")
        return head
    }

    /// The metrics' label of an error's code.
    static func outcome(of code: String) -> String {
        switch code {
        case "hook_timeout": "timeout"
        case "hook_rounds_exceeded": "rounds_exceeded"
        default: "failed"
        }
    }

    /// Chunks that may wait for the hook before the model's answer is paused.
    static let maxOutstandingCalls = 64

}
