import ProxyAgents

/// The life of one agent reply that may be written after its handler returned (`PENDING`) and
/// streamed delta by delta. Value type: each event returns what to do; the channel does it.
///
/// The deadline (`timeouts.agent_seconds`) runs while the agent is on its own: from the start,
/// again from each delta, and from the end of its last streamed model call. While one of its
/// calls is under way it is paused: the call is bounded by the pool's own limits (queue, load,
/// upstream idle), and a model may load for minutes before its first token.
///
/// Phases: `waiting` (nothing written yet), `collecting` (deltas kept for a client that did not
/// ask to stream), `streaming` (the SSE head and chunks are out), `finished`. The handler's own
/// return (other than PENDING) counts as its finish.
struct AgentReplyState: Equatable, Sendable {
    enum Phase: Equatable, Sendable {
        case waiting
        case collecting(String)
        case streaming
        case finished
    }

    enum Action: Equatable, Sendable {
        /// The SSE head, then the first chunk (with the role) carrying this text.
        case startStream(String)
        case sendDelta(String)
        /// The stop chunk, `[DONE]`, and the end of the response.
        case endStream
        /// An error event ending a stream under way.
        case endStreamWithError(status: Int, message: String)
        /// Nothing was written: the result is answered as a handler's outcome would be.
        case deliver(AgentResult)
        /// Nothing was written and the deadline passed: 504.
        case answerTimeout
        /// (Re)starts the deadline.
        case armDeadline
        /// Pauses it (a streamed call is under way).
        case pauseDeadline
        /// The reply is over: these streamed calls of it are cancelled, and its deadline dropped.
        case close(cancelling: Set<UInt64>)
    }

    let clientStreams: Bool
    private(set) var phase: Phase = .waiting
    /// Streamed model calls of this reply not yet ended.
    private(set) var calls: Set<UInt64> = []

    init(clientStreams: Bool) {
        self.clientStreams = clientStreams
    }

    var isOver: Bool { phase == .finished }

    mutating func delta(_ text: String) -> [Action] {
        let deadline: [Action] = calls.isEmpty ? [.armDeadline] : []
        switch phase {
        case .finished:
            return []
        case .waiting where clientStreams:
            phase = .streaming
            return [.startStream(text)] + deadline
        case .waiting:
            phase = .collecting(text)
            return deadline
        case .collecting(let kept):
            phase = .collecting(kept + text)
            return deadline
        case .streaming:
            return (text.isEmpty ? [] : [.sendDelta(text)]) + deadline
        }
    }

    /// A streamed model call of this reply started: false (and nothing to do) when the reply is
    /// already over, and the call must stop.
    mutating func callStarted(_ call: UInt64) -> (accepted: Bool, actions: [Action]) {
        guard !isOver else { return (false, []) }
        calls.insert(call)
        return (true, calls.count == 1 ? [.pauseDeadline] : [])
    }

    mutating func callEnded(_ call: UInt64) -> [Action] {
        guard calls.remove(call) != nil else { return [] }
        return calls.isEmpty && !isOver ? [.armDeadline] : []
    }

    /// The handler returned: PENDING leaves the reply open (its deadline starts now), any other
    /// outcome finishes it.
    mutating func handlerReturned(_ result: AgentResult) -> [Action] {
        guard result == .pending else { return finish(result) }
        return isOver || !calls.isEmpty ? [] : [.armDeadline]
    }

    mutating func finish(_ result: AgentResult) -> [Action] {
        let before = phase
        guard before != .finished else { return [] }
        let close = closing()
        switch (before, result) {
        case (.finished, _):
            return []  // seen above
        case (.waiting, .pending):
            return [close, .deliver(.fail(status: 500, message: "the reply was finished as pending"))]
        case (.waiting, _):
            return [close, .deliver(result)]
        case (.collecting(let kept), .reply(let text)):
            return [close, .deliver(.reply(kept + text))]
        case (.collecting, .fail):
            return [close, .deliver(result)]
        case (.collecting, _):
            return [close, .deliver(.fail(status: 500, message: Self.afterDeltas(result)))]
        case (.streaming, .reply(let text)):
            return [close] + (text.isEmpty ? [] : [.sendDelta(text)]) + [.endStream]
        case (.streaming, .fail(let status, let message)):
            return [close, .endStreamWithError(status: status, message: message)]
        case (.streaming, _):
            return [close, .endStreamWithError(status: 500, message: Self.afterDeltas(result))]
        }
    }

    /// Ends the reply: the phase is `finished`, and the calls still under way are to be cancelled.
    private mutating func closing() -> Action {
        phase = .finished
        defer { calls = [] }
        return .close(cancelling: calls)
    }

    /// The deadline passed with the reply still open.
    mutating func deadlinePassed(seconds: Double) -> [Action] {
        let before = phase
        guard before != .finished else { return [] }
        let close = closing()
        if before == .streaming {
            return [close, .endStreamWithError(status: 504, message: "sent nothing for \(seconds) s (timeouts.agent_seconds)")]
        }
        return [close, .answerTimeout]
    }

    /// The client left: nothing more is written, and the reply's calls stop.
    mutating func clientGone() -> [Action] {
        guard phase != .finished else { return [] }
        return [closing()]
    }

    private static func afterDeltas(_ result: AgentResult) -> String {
        switch result {
        case .pending: "the reply was finished as pending"
        default: "a reply that sent text can only end with more text or an error"
        }
    }
}
