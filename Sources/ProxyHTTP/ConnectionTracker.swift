import Synchronization

/// Counts open connections and requests in flight, for graceful shutdown and for metrics.
public final class ConnectionTracker: Sendable {
    private let connections = Atomic<Int>(0)
    private let requests = Atomic<Int>(0)

    public init() {}

    public var openConnections: Int { connections.load(ordering: .relaxed) }
    public var requestsInFlight: Int { requests.load(ordering: .relaxed) }

    func connectionOpened() { connections.add(1, ordering: .relaxed) }
    func connectionClosed() { connections.subtract(1, ordering: .relaxed) }
    func requestStarted() { requests.add(1, ordering: .relaxed) }
    func requestFinished() { requests.subtract(1, ordering: .relaxed) }
}
