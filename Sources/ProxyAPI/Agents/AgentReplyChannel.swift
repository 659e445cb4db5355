import ProxyAgents
import ProxyHTTP
import ProxyTime
import Synchronization

/// One agent reply on its way to the client: carries out `AgentReplyState`'s actions on the
/// request's loop. The plugin's calls (from any thread) reach it through `AgentReplies`, which
/// hops to the loop; `isOver` may be read anywhere.
final class AgentReplyChannel: @unchecked Sendable {
    /// What the dispatcher does with a result when nothing was written yet, and with a timeout.
    struct Answers: Sendable {
        var deliver: @Sendable (AgentResult) -> Void
        var timedOut: @Sendable () -> Void
        /// A stream that was written here ended (for the request log): its status and a note.
        var streamEnded: @Sendable (_ status: Int, _ note: String) -> Void
    }

    let id: UInt64
    let responder: HTTPResponder
    private let format: AgentReplyFormat
    private let timeout: Double
    private let answers: Answers
    /// Called once when the reply is over, with the calls to cancel.
    private let closed: @Sendable (UInt64, Set<UInt64>) -> Void
    private var state: AgentReplyState
    private var deadline: TimerThread.Token?
    private let over = Atomic(false)

    init(id: UInt64, responder: HTTPResponder, model: String, clientStreams: Bool, timeout: Double, answers: Answers,
         closed: @escaping @Sendable (UInt64, Set<UInt64>) -> Void) {
        self.id = id
        self.responder = responder
        self.timeout = timeout
        self.answers = answers
        self.closed = closed
        format = AgentReplyFormat(model: model)
        state = AgentReplyState(clientStreams: clientStreams)
    }

    var loop: EventLoop { responder.loop }
    var isOver: Bool { over.load(ordering: .acquiring) }

    // MARK: events, on the loop

    func start() {
        loop.assertInLoop()
        responder.onClientGone = { [self] in apply(state.clientGone()) }
    }

    func delta(_ text: String) {
        loop.assertInLoop()
        apply(state.delta(text))
    }

    func handlerReturned(_ result: AgentResult) {
        loop.assertInLoop()
        apply(state.handlerReturned(result))
    }

    func finish(_ result: AgentResult) {
        loop.assertInLoop()
        apply(state.finish(result))
    }

    /// The handler did not return within the deadline.
    func handlerTimedOut() {
        loop.assertInLoop()
        apply(state.deadlinePassed(seconds: timeout))
    }

    /// Closed without writing anything (the agent never ran): the caller answers.
    func abandon() {
        loop.assertInLoop()
        apply(state.clientGone())
    }

    /// A streamed call made for this reply: cancelled with it (at once if it is already over).
    func adopt(call: UInt64) -> Bool {
        loop.assertInLoop()
        let (accepted, actions) = state.callStarted(call)
        apply(actions)
        return accepted
    }

    func callEnded(_ call: UInt64) {
        loop.assertInLoop()
        apply(state.callEnded(call))
    }

    private func apply(_ actions: [AgentReplyState.Action]) {
        for action in actions {
            switch action {
            case .startStream(let text):
                responder.sendHead(AgentReplyFormat.streamHead)
                responder.sendBody(format.firstChunk(text)[...])
            case .sendDelta(let text):
                responder.sendBody(format.contentChunk(text)[...])
            case .endStream:
                responder.sendBody(format.stopChunk[...])
                responder.sendBody(AgentReplyFormat.done[...])
                responder.finish()
                answers.streamEnded(200, "streamed")
            case .endStreamWithError(let status, let message):
                let error = OpenAIError(status: status, message: message, type: "agent_error",
                                        code: status == 504 ? "agent_timeout" : "agent_failed")
                responder.sendBody(AgentReplyFormat.errorEvent(error)[...])
                responder.sendBody(AgentReplyFormat.done[...])
                responder.finish()
                answers.streamEnded(200, "stream ended by error: \(error.code)")
            case .deliver(let result):
                answers.deliver(result)
            case .answerTimeout:
                answers.timedOut()
            case .armDeadline:
                if let deadline { TimerThread.shared.cancel(deadline) }
                deadline = TimerThread.shared.schedule(after: timeout) { [self] in
                    loop.execute { [self] in apply(state.deadlinePassed(seconds: timeout)) }
                }
            case .pauseDeadline:
                if let deadline { TimerThread.shared.cancel(deadline) }
                deadline = nil
            case .close(let calls):
                over.store(true, ordering: .releasing)
                if let deadline { TimerThread.shared.cancel(deadline) }
                deadline = nil
                responder.onClientGone = nil
                closed(id, calls)
            }
        }
    }
}
