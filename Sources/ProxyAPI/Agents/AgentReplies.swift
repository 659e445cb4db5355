import ProxyAgents
import Synchronization

/// The agent replies still open, by id: what the plugin's `send_delta` and `finish_reply` (from
/// any thread) find, hopping to each reply's loop.
final class AgentReplies: Sendable {
    private let open = Mutex<[UInt64: AgentReplyChannel]>([:])
    private let lastID = Atomic<UInt64>(0)
    /// Cancels a streamed call whose reply ended (set once at start: `AgentModelCalls`).
    private let cancelCall = Mutex<@Sendable (UInt64) -> Void>({ _ in })

    func setCallCanceller(_ cancel: @escaping @Sendable (UInt64) -> Void) {
        cancelCall.withLock { $0 = cancel }
    }

    /// A new reply, registered before its handler runs (the plugin may write to it at once).
    func open(_ make: (_ id: UInt64, _ closed: @escaping @Sendable (UInt64, Set<UInt64>) -> Void) -> AgentReplyChannel) -> AgentReplyChannel {
        let id = lastID.wrappingAdd(1, ordering: .relaxed).newValue
        let channel = make(id) { [self] id, calls in
            open.withLock { _ = $0.removeValue(forKey: id) }
            let cancel = cancelCall.withLock { $0 }
            calls.forEach(cancel)
        }
        open.withLock { $0[id] = channel }
        return channel
    }

    func channel(_ id: UInt64) -> AgentReplyChannel? {
        open.withLock { $0[id] }
    }

    func sendDelta(_ id: UInt64, _ text: String) -> Bool {
        guard let channel = channel(id), !channel.isOver else { return false }
        channel.loop.execute { channel.delta(text) }
        return true
    }

    func finish(_ id: UInt64, _ result: AgentResult) {
        guard let channel = channel(id) else { return }
        channel.loop.execute { channel.finish(result) }
    }
}
