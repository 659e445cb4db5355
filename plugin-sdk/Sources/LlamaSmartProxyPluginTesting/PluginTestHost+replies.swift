import Dispatch
import Glibc
import LlamaSmartProxyPluginContract

extension PluginTestHost {
    /// A new reply id for one call (0 when the table has no reply functions).
    func openReply() -> UInt64 {
        guard supportsReplies else { return 0 }
        return state.withLock { state in
            state.nextReply += 1
            state.replies[state.nextReply] = PendingReply()
            return state.nextReply
        }
    }

    /// What a call amounts to right after its handler returned `first`: a reply left pending
    /// stays `.pending` with the deltas sent so far (the async `invoke` waits for its end).
    func settleNow(_ first: AgentResult, reply id: UInt64) -> (outcome: AgentResult, deltas: [String]) {
        guard first == .pending else {
            finish(id, first)
            return (first, [])
        }
        return (.pending, state.withLock { $0.replies[id]?.deltas ?? [] })
    }

    /// The same, waiting up to `replyTimeoutSeconds` for a pending reply's end (then 504, as
    /// the proxy's deadline would): its deltas joined before a final reply text.
    func settle(_ first: AgentResult, reply id: UInt64, command: String) async -> (outcome: AgentResult, deltas: [String]) {
        guard first == .pending, id != 0 else { return settleNow(first, reply: id) }
        let seconds = replyTimeoutSeconds
        let deadline = Task { [self] in
            guard (try? await Task.sleep(for: .seconds(seconds))) != nil else { return }
            finish(id, .fail(status: 504, message: "/\(command) did not finish its reply within \(seconds) s"))
        }
        await withCheckedContinuation { continuation in
            let ended = state.withLock { state -> Bool in
                guard state.replies[id]?.result == nil else { return true }
                state.replies[id]?.waiters.append(continuation)
                return false
            }
            if ended { continuation.resume() }
        }
        deadline.cancel()
        let reply = state.withLock { $0.replies[id] } ?? PendingReply()
        let deltas = reply.deltas
        let result = reply.result ?? .fail(status: 500, message: "/\(command) never finished its reply")
        switch result {
        case .reply(let text): return (.reply(deltas.joined() + text), deltas)
        case .fail: return (result, deltas)
        case .continueWith, .patch, .pending:
            // After a delta only REPLY or FAIL can end a reply; the proxy ends it with a 500 error event.
            return deltas.isEmpty ? (result, deltas)
                : (.fail(status: 500, message: "/\(command) ended a reply under way with neither REPLY nor FAIL"), deltas)
        }
    }

    /// `send_delta`: false once the reply is over or unknown.
    func sendDelta(_ id: UInt64, _ text: String) -> Bool {
        state.withLock { state in
            guard state.replies[id] != nil, state.replies[id]!.result == nil else { return false }
            state.replies[id]!.deltas.append(text)
            return true
        }
    }

    /// `finish_reply` (and the handler's own outcome): the first end counts, later ones do nothing.
    func finish(_ id: UInt64, _ result: AgentResult) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard state.replies[id] != nil, state.replies[id]!.result == nil else { return [] }
            state.replies[id]!.result = result == .pending ? .fail(status: 500, message: "finish_reply was given LSP_OUTCOME_PENDING") : result
            defer { state.replies[id]!.waiters = [] }
            return state.replies[id]!.waiters
        }
        for waiter in waiters { waiter.resume() }
        // As the proxy does: the streamed calls tied to a reply stop when it ends.
        let tied = state.withLock { state in state.callReplies.filter { $0.value == id }.map(\.key) }
        for call in tied { endCall(call, status: 499, body: "", cancelled: false) }
    }

    /// `stream_chat`: records the request and plays the scripted answer on another thread.
    func streamChat(_ requestJSON: String, reply: UInt64, chunk: @escaping @Sendable (String) -> Bool,
                    end: @escaping @Sendable (Int, String) -> Void) -> UInt64 {
        let id = state.withLock { state in
            state.streamRequests.append(requestJSON)
            state.nextCall += 1
            state.openCalls[state.nextCall] = end
            if reply != 0 { state.callReplies[state.nextCall] = reply }
            return state.nextCall
        }
        let answer = streams(requestJSON)
        DispatchQueue.global().async { [self] in
            for (index, json) in answer.chunks.enumerated() {
                if index > 0 && answer.secondsBetweenChunks > 0 {
                    usleep(useconds_t(answer.secondsBetweenChunks * 1_000_000))
                }
                guard state.withLock({ $0.openCalls[id] != nil }) else { return }
                guard chunk(json) else {
                    endCall(id, status: 499, body: "", cancelled: true)
                    return
                }
            }
            if answer.endsAfterChunks { endCall(id, status: answer.status, body: answer.body, cancelled: false) }
        }
        return id
    }

    /// Runs a streamed call's end exactly once (nothing for an unknown or ended call).
    func endCall(_ id: UInt64, status: Int, body: String, cancelled: Bool) {
        let end = state.withLock { state -> (@Sendable (Int, String) -> Void)? in
            guard let end = state.openCalls.removeValue(forKey: id) else { return nil }
            state.callReplies[id] = nil
            if cancelled { state.cancelledStreams += 1 }
            return end
        }
        end?(status, body)
    }
}
