import Endpoints
import HTTPCodec

/// Forwards requests to upstream servers and streams their answers back, chunk by chunk as they
/// arrive. Bodies pass through untouched; only hop-by-hop headers are rewritten.
public final class ReverseProxy: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The upstream answered; `bytes` of body reached the client's socket buffer.
        case completed(status: Int, bytes: Int)
        /// The upstream failed; a 502 was sent if no head had been sent yet.
        case upstreamFailed(String)
        /// The client disconnected first; the upstream connection was closed.
        case clientGone
        /// Only when asked for: no connection to the upstream could be made, so nothing was
        /// sent and nothing answered; the caller answers (or tries elsewhere).
        case unreachable(String)
    }

    private let pools: [ObjectIdentifier: PoolBox]

    /// `upstreamConnectTimeout`: a connect not done within it fails as a refused one does (0: the kernel's limit).
    public init(group: EventLoopGroup, upstreamIdleTimeout: Double = 0, upstreamConnectTimeout: Double = 0) {
        let timeout = upstreamIdleTimeout.nanosecondsIfLimited
        let connectTimeout = upstreamConnectTimeout.nanosecondsIfLimited
        var pools: [ObjectIdentifier: PoolBox] = [:]
        for loop in group.loops {
            pools[ObjectIdentifier(loop)] = PoolBox(
                UpstreamConnectionPool(loop: loop, idleTimeout: timeout, connectTimeout: connectTimeout))
        }
        self.pools = pools
    }

    /// Sends `request` to `address`, answering through `responder`. Call on the responder's loop.
    /// `body` replaces the request's body when an agent rewrote it. The request goes out at once,
    /// on an idle keep-alive connection or a new one: the caller bounds how many are in flight.
    /// With `reportUnreachable`, a failure to connect (at once, or a TCP connect refused later,
    /// before any byte of the request went out), or a connection that ends unanswered when
    /// nothing listens at `address` any more (the upstream died with the request), completes with
    /// `.unreachable` and sends nothing (otherwise the client gets a 502).
    /// With `continuing`, the client already has an event stream's head (and perhaps events):
    /// the upstream's head is not forwarded, its body continues the stream when it answers 200
    /// with `text/event-stream`, and anything else (another status, another body, a failure)
    /// ends the stream with an error event (`completed` then carries the upstream's status).
    /// With `tap`, the upstream's head and body are shown to it as they pass.
    public func forward(
        _ request: HTTPServerRequest, body: [UInt8]? = nil, to address: UpstreamEndpoint, reportUnreachable: Bool = false,
        continuing: EarlyEventStream? = nil, tap: ResponseBodyTap? = nil, responder: HTTPResponder,
        completion: @escaping (Outcome) -> Void
    ) {
        guard let pool = pools[ObjectIdentifier(responder.loop)]?.pool else {
            preconditionFailure("responder's loop does not belong to this proxy's group")
        }
        let exchange = ProxyExchange(
            request: request, body: body ?? request.body, address: address, reportUnreachable: reportUnreachable,
            continuing: continuing, tap: tap, responder: responder, pool: pool, completion: completion)
        exchange.start()
    }

    /// Drops pooled connections to an upstream that stopped. Safe from any thread.
    public func forget(_ address: UpstreamEndpoint) {
        for box in pools.values {
            box.pool.loop.execute { box.pool.closeIdle(to: address) }
        }
    }
}

/// Lets a loop-confined pool sit in a Sendable table; it is only touched on its own loop.
private final class PoolBox: @unchecked Sendable {
    let pool: UpstreamConnectionPool
    init(_ pool: UpstreamConnectionPool) { self.pool = pool }
}
