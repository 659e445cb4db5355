import ProxyAgents
import ProxyHTTP
import ProxyTime
import Synchronization

/// Runs agents on a bounded executor of dedicated threads, each with a deadline on
/// `TimerThread.shared`. Whichever comes first, the agent's result or the deadline, decides; the
/// other is ignored. At the deadline the invocation's scope expires: its loopback sub-calls are
/// cut and further host calls fail, so it gives its model slot back. (A thread cannot be stopped:
/// an agent that never returns keeps its thread; the request is answered anyway.) An invocation
/// still queued at its deadline never starts.
struct AgentRunner: Sendable {
    let timeout: Double
    let executor: BoundedExecutor

    enum Outcome: Sendable {
        case finished(AgentResult)
        case timedOut
        /// Every agent thread busy and the queue full.
        case busy
    }

    /// Runs the matched agent; `completion` runs on the request's loop.
    /// `reply`: the id the agent may end its reply with later (`AgentReplies`).
    func run(_ invocation: AgentInvocationRequest, reply: UInt64, body: [UInt8], loop: EventLoop,
             completion: @escaping @Sendable (Outcome) -> Void) {
        let requestJSON = String(decoding: body, as: UTF8.self)
        run({
            invocation.match.agent.invoke(
                arguments: invocation.match.arguments, requestJSON: requestJSON, model: invocation.model, reply: reply)
        }, completion: { outcome in loop.execute { completion(outcome) } })
    }

    /// Runs `agent` on the executor; `completion` runs exactly once, on the agent's thread, the
    /// timer thread or (for `.busy`) the caller's.
    func run(_ agent: @escaping @Sendable () -> AgentResult, completion: @escaping @Sendable (Outcome) -> Void) {
        let scope = AgentInvocationScope()
        let decided = Once()
        let deadline = TimerThread.shared.schedule(after: timeout) {
            // Decide first: cutting the sub-calls lets the agent return at once, and its result
            // must not overtake the deadline that caused it.
            let timedOut = decided.claim()
            scope.expire()
            if timedOut { completion(.timedOut) }
        }
        let accepted = executor.submit {
            guard !scope.isExpired else { return }
            let result = scope.makeCurrent(during: agent)
            TimerThread.shared.cancel(deadline)
            if decided.claim() { completion(.finished(result)) }
        }
        if !accepted {
            TimerThread.shared.cancel(deadline)
            if decided.claim() { completion(.busy) }
        }
    }
}

/// Claimed by the first of the outcomes.
private final class Once: Sendable {
    private let claimed = Atomic(false)
    func claim() -> Bool {
        claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}
