import ProxyJSON

/// One exchange through a response hook (see `lsp_response_hook` in the header): the rules that
/// turn the model's answer and the hook's verdicts into what the client receives. A value that
/// takes events and returns the actions to carry out, so the proxy's driver
/// (`ResponseHookExchange`) and the SDK's test host run the same rules.
///
/// Every round is one model call. The driver shows the hook each part the state asks for
/// (`.ask`), in order, one at a time, and hands the verdicts back in the same order, each with
/// the round it was asked in: a verdict of an earlier round (its call was stopped by a RETRY) is
/// ignored, and so are the events of an earlier round's call.
public struct ResponseHookState: Sendable {
    public enum Action: Sendable, Equatable {
        /// Show the hook this part of the current round's answer.
        case ask(round: Int, part: AnswerPart, data: [UInt8])
        /// The answer is not for the hook (not 200, or not the shape asked for): send the
        /// model's response head to the client as it came; its body follows (`forwardBody`).
        case passThrough
        /// A piece of the body of an answer passed through.
        case forwardBody(ArraySlice<UInt8>)
        /// The answer passed through ended: finish the response (`complete`) or cut it.
        case finishForwarded(complete: Bool)
        /// The answer to a request that did not stream: the model's head with this body.
        case sendWhole([UInt8])
        /// Write the event stream's head (the model's), before the first event.
        case startStream
        /// Write these events, in order (each the JSON of one `data:` event).
        case sendEvents([[UInt8]])
        /// Write `data: [DONE]` and end the response.
        case endStream
        /// Send this request as round `Int` (its `stream` already set to the client's).
        case startRound(Int, requestJSON: [UInt8])
        /// Stop the current round's model call (the hook has what it needs, or the client left).
        case stopCall
        /// Answer an OpenAI-shaped error; nothing was sent yet.
        case fail(status: Int, message: String, code: String)
        /// End the stream under way with an error event, then `[DONE]`.
        case failStream(status: Int, message: String, code: String)
        /// A hook call is outstanding: (re)start its deadline.
        case armDeadline
        /// No hook call is outstanding.
        case pauseDeadline
        /// The exchange is over: show the hook `closed`, release everything. Exactly once, last.
        case close
    }

    public let clientStreams: Bool
    public let maxRounds: Int
    /// The largest whole answer the hook is shown (`limits.max_body_bytes`).
    public let maxWholeBytes: Int
    public private(set) var round = 0
    private var phase = Phase.waitingForHead
    /// The parts shown to the hook whose verdicts have not come back, oldest first.
    private var asked: [Asked] = []
    private var held: [[UInt8]] = []
    private var headSent = false
    /// The current round's whole answer, as it comes.
    private var wholeBody: [UInt8] = []

    private enum Phase: Equatable {
        case waitingForHead
        /// The model's answer comes to the hook.
        case hooked
        /// The model's answer goes to the client as it came.
        case passingThrough
        /// The answer ended; the last verdict is awaited.
        case ended
        case closed
    }

    private enum Asked {
        case whole([UInt8])
        case chunk([UInt8])
        case end

        var name: String {
            switch self {
            case .whole: "a whole answer"
            case .chunk: "a chunk"
            case .end: "the end of a stream"
            }
        }
    }

    /// `maxRounds`: how many model calls one exchange may make (`limits.response_hook_rounds`).
    public init(clientStreams: Bool, maxRounds: Int, maxWholeBytes: Int) {
        self.clientStreams = clientStreams
        self.maxRounds = max(1, maxRounds)
        self.maxWholeBytes = maxWholeBytes
    }

    public var isClosed: Bool { phase == .closed }

    /// Parts shown to the hook whose verdicts have not come back (for back-pressure).
    public var outstandingCalls: Int { asked.count }

    // MARK: the rounds' requests

    /// The first round, once, before any event: `request` (the client's, or what an agent
    /// forwards), its `stream` set to the client's.
    public mutating func start(_ request: [UInt8]) -> [Action] {
        switch requestStreamingAsTheClient(request) {
        case .success(let request): return [.startRound(0, requestJSON: request)]
        case .failure(let error):
            return finishWithError(status: 500, message: "the request is not a JSON object: \(error)", code: "hook_failed")
        }
    }

    /// `request` with `stream` set to the client's (`true` or `false`), or why it is not a JSON object.
    private func requestStreamingAsTheClient(_ request: [UInt8]) -> Result<[UInt8], TopLevelPatchError> {
        Result { () throws(TopLevelPatchError) in
            try TopLevelPatch.apply([("stream", Array((clientStreams ? "true" : "false").utf8))], to: request)
        }
    }

    // MARK: the model's answer

    /// The current round's response head came.
    public mutating func answerHead(round: Int, status: Int, isEventStream: Bool) -> [Action] {
        guard round == self.round, phase == .waitingForHead else { return [] }
        guard status == 200, isEventStream == clientStreams else {
            guard !headSent else {
                phase = .ended
                return [.stopCall] + finishWithError(
                    status: 502, message: "the model answered the response hook's new request with status \(status)", code: "upstream_error")
            }
            phase = .passingThrough
            return [.passThrough]
        }
        phase = .hooked
        return []
    }

    /// One event of the current round's stream.
    public mutating func event(round: Int, data: [UInt8]) -> [Action] {
        guard round == self.round, phase == .hooked, clientStreams else { return [] }
        return ask(.chunk(data))
    }

    /// A piece of the current round's body that is not an event stream.
    public mutating func answerBody(round: Int, piece: ArraySlice<UInt8>) -> [Action] {
        guard round == self.round else { return [] }
        switch phase {
        case .passingThrough:
            return [.forwardBody(piece)]
        case .hooked where !clientStreams:
            guard wholeBody.count + piece.count <= maxWholeBytes else {
                phase = .ended
                return [.stopCall] + finishWithError(
                    status: 502, message: "the model's answer is larger than the \(maxWholeBytes) bytes a response hook reads (limits.max_body_bytes)",
                    code: "answer_too_large")
            }
            wholeBody += piece
            return []
        default:
            return []
        }
    }

    /// The current round's answer ended: `complete` false when it was cut.
    public mutating func answerEnded(round: Int, complete: Bool) -> [Action] {
        guard round == self.round else { return [] }
        switch phase {
        case .passingThrough:
            return [.finishForwarded(complete: complete)] + close()
        case .hooked where !complete, .waitingForHead where !complete:
            phase = .ended
            return finishWithError(status: 502, message: "the model's answer ended before its end", code: "upstream_stream_cut")
        case .hooked:
            phase = .ended
            defer { wholeBody = [] }
            return ask(clientStreams ? .end : .whole(wholeBody))
        case .waitingForHead, .ended, .closed:
            return []
        }
    }

    // MARK: the hook

    /// The verdict on the oldest part shown to the hook in `round`.
    public mutating func verdict(_ verdict: HookVerdict, round: Int) -> [Action] {
        guard round == self.round, phase != .closed, !asked.isEmpty else { return [] }
        let part = asked.removeFirst()
        var actions = decide(verdict, on: part)
        if phase != .closed { actions.append(asked.isEmpty ? .pauseDeadline : .armDeadline) }
        return actions
    }

    /// A hook call did not return within its deadline.
    public mutating func deadlinePassed(seconds: Double) -> [Action] {
        guard phase != .closed, !asked.isEmpty else { return [] }
        return [.stopCall] + finishWithError(
            status: 504, message: "the response hook did not answer within \(seconds) s", code: "hook_timeout")
    }

    /// The round's request could not be sent (`message` says why).
    public mutating func roundRefused(_ message: String) -> [Action] {
        guard phase != .closed else { return [] }
        return finishWithError(status: 500, message: message, code: "hook_failed")
    }

    /// The client went away: stop the model call; nothing more is written.
    public mutating func clientGone() -> [Action] {
        guard phase != .closed else { return [] }
        return [.stopCall] + close()
    }

    // MARK: rules

    private mutating func ask(_ part: Asked) -> [Action] {
        asked.append(part)
        let (kind, data): (AnswerPart, [UInt8]) = switch part {
        case .whole(let body): (.whole, body)
        case .chunk(let json): (.chunk, json)
        case .end: (.end, [])
        }
        // The deadline runs for the oldest call: armed when it is the only one, again per verdict.
        return [.ask(round: round, part: kind, data: data)] + (asked.count == 1 ? [.armDeadline] : [])
    }

    private mutating func decide(_ verdict: HookVerdict, on part: Asked) -> [Action] {
        switch (part, verdict) {
        case (.whole(let body), .pass):
            return [.sendWhole(body)] + close()
        case (.whole, .replace(let text)):
            return [.sendWhole(Array(text.utf8))] + close()
        case (.chunk(let json), .pass):
            return send(takeHeld() + [json])
        case (.chunk, .replace(let text)):
            return send(takeHeld() + [Array(text.utf8)])
        case (.chunk, .drop):
            return []
        case (.chunk(let json), .hold):
            held.append(json)
            return []
        case (.end, .pass):
            return send(takeHeld()) + [.endStream] + close()
        case (.end, .drop):
            held = []
            return send([]) + [.endStream] + close()
        case (.end, .replace(let text)):
            held = []
            return send([Array(text.utf8)]) + [.endStream] + close()
        case (.chunk, .retry(let request)):
            return [.stopCall] + nextRound(request)
        case (.whole, .retry(let request)), (.end, .retry(let request)):
            return nextRound(request)
        case (.chunk, .fail(let status, let message)):
            return [.stopCall] + finishWithError(status: status, message: message, code: "hook_failed")
        case (_, .fail(let status, let message)):
            return finishWithError(status: status, message: message, code: "hook_failed")
        case (.whole, .drop), (.whole, .hold), (.end, .hold):
            let stopsCall = phase == .hooked
            return (stopsCall ? [.stopCall] : []) + finishWithError(
                status: 500, message: "the response hook's verdict \(verdict) does not fit \(part.name)", code: "hook_failed")
        }
    }

    private mutating func nextRound(_ request: String) -> [Action] {
        guard round + 1 < maxRounds else {
            return finishWithError(
                status: 500, message: "the response hook asked again more than \(maxRounds - 1) time(s) (limits.response_hook_rounds)",
                code: "hook_rounds_exceeded")
        }
        let patched: [UInt8]
        switch requestStreamingAsTheClient(Array(request.utf8)) {
        case .success(let bytes): patched = bytes
        case .failure(let error):
            return finishWithError(
                status: 500, message: "the response hook asked again with a request that is not a JSON object: \(error)", code: "hook_failed")
        }
        round += 1
        asked = []
        held = []
        wholeBody = []
        phase = .waitingForHead
        return [.startRound(round, requestJSON: patched)]
    }

    private mutating func takeHeld() -> [[UInt8]] {
        defer { held = [] }
        return held
    }

    /// Writes `events`, after the stream's head if it was not written yet.
    private mutating func send(_ events: [[UInt8]]) -> [Action] {
        var actions: [Action] = []
        if !headSent {
            headSent = true
            actions.append(.startStream)
        }
        if !events.isEmpty { actions.append(.sendEvents(events)) }
        return actions
    }

    private mutating func finishWithError(status: Int, message: String, code: String) -> [Action] {
        let error: Action = headSent
            ? .failStream(status: status, message: message, code: code)
            : .fail(status: status, message: message, code: code)
        return [error] + close()
    }

    private mutating func close() -> [Action] {
        guard phase != .closed else { return [] }
        phase = .closed
        asked = []
        held = []
        return [.pauseDeadline, .close]
    }
}
