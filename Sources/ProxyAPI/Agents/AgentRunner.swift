import Dispatch
import ProxyAgents
import ProxyHTTP

/// Runs an agent off the event loop, with a deadline. Whichever comes first, the agent's result
/// or the deadline, is handed back on the request's loop; the other is ignored. (A thread cannot
/// be stopped, so an agent that never returns keeps its worker; the request is answered anyway.)
struct AgentRunner: Sendable {
    let timeout: Double

    enum Outcome: Sendable {
        case finished(AgentResult)
        case timedOut
    }

    func run(_ invocation: AgentInvocationRequest, body: [UInt8], loop: EventLoop,
             completion: @escaping @Sendable (Outcome) -> Void) {
        let decided = DecidedFlag()
        let requestJSON = String(decoding: body, as: UTF8.self)
        DispatchQueue.global().async {
            let result = invocation.match.agent.invoke(
                arguments: invocation.match.arguments, requestJSON: requestJSON, model: invocation.model)
            loop.execute { if decided.decide() { completion(.finished(result)) } }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
            loop.execute { if decided.decide() { completion(.timedOut) } }
        }
    }
}

/// Set once, on the loop, by the first of the two outcomes.
private final class DecidedFlag: @unchecked Sendable {
    private var decided = false
    func decide() -> Bool {
        defer { decided = true }
        return !decided
    }
}
