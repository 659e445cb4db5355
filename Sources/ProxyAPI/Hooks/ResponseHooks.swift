import ProxyAgents
import ProxyHTTP
import Synchronization

/// Starts the exchanges that go through response hooks, each with an id of its own.
final class ResponseHooks: Sendable {
    struct Limits: Sendable {
        /// Each hook call's deadline (`timeouts.agent_seconds`).
        var timeout: Double
        /// `limits.response_hook_rounds`.
        var maxRounds: Int
    }

    private let route: InProcessRoute
    private let limits: Limits
    private let lastID = Atomic<UInt64>(0)

    init(route: InProcessRoute, limits: Limits) {
        self.route = route
        self.limits = limits
    }

    /// On the request's loop. `ended` hears how it ended, once.
    func start(_ hook: LoadedResponseHook, body: [UInt8], model: String, clientStreams: Bool, responder: HTTPResponder,
               ended: @escaping @Sendable (ResponseHookExchange.Ending) -> Void) {
        let exchange = ResponseHookExchange(
            id: lastID.wrappingAdd(1, ordering: .relaxed).newValue, hook: hook, responder: responder, route: route, model: model,
            clientStreams: clientStreams, limits: limits, ended: ended)
        exchange.start(body)
    }
}
