import ProxyHTTP
import Synchronization

/// Where the proxy's own chat completions go (agents' streamed calls, response hooks' rounds):
/// the router, attached once it exists (it is built after the agent host), and the credential
/// that marks a request as the proxy's own.
final class InProcessRoute: Sendable {
    private struct Target: @unchecked Sendable {
        var handler: (any HTTPRequestHandler)?
        var group: EventLoopGroup?
    }

    let credentialToken: String
    /// The most of an answer the proxy reads whole for itself (`limits.max_body_bytes`).
    let maxAnswerBytes: Int
    private let target = Mutex(Target())

    init(credentialToken: String, maxAnswerBytes: Int = 64 << 20) {
        self.credentialToken = credentialToken
        self.maxAnswerBytes = maxAnswerBytes
    }

    func attach(handler: any HTTPRequestHandler, group: EventLoopGroup) {
        target.withLock { $0 = Target(handler: handler, group: group) }
    }

    /// The router, and a loop for a call that has none of its own; nil before the proxy serves.
    var current: (handler: any HTTPRequestHandler, group: EventLoopGroup)? {
        target.withLock { target in target.handler.flatMap { handler in target.group.map { (handler, $0) } } }
    }
}
