import Endpoints
import ProxyTime
/// Keep-alive connections to upstreams, one pool per event loop so no lock is needed.
///
/// It never makes a request wait: an idle connection is reused, or a new one opened. How many
/// requests an upstream gets at once is the caller's to bound (the server pool's scheduler
/// does, per model and across all loops), so a loop holds at most as many connections to an
/// upstream as it had requests in flight to it at once.
final class UpstreamConnectionPool {
    /// httplib (llama-server) closes idle keep-alive connections after 5 s; never reuse one that
    /// old, so a request is not lost to that race.
    private static let maxIdleNanoseconds: UInt64 = 3_000_000_000

    let loop: EventLoop
    let idleTimeout: UInt64?
    /// A connection not connected within this fails with `connectFailed` (nil: no limit of ours).
    let connectTimeout: UInt64?
    private var idle: [UpstreamEndpoint: [UpstreamConnection]] = [:]

    init(loop: EventLoop, idleTimeout: UInt64?, connectTimeout: UInt64? = nil) {
        self.loop = loop
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
    }

    /// An idle connection to `address` (none when `fresh`: those may all be stale), or a new one.
    func lease(to address: UpstreamEndpoint, fresh: Bool = false) -> Result<UpstreamConnection, UpstreamError> {
        loop.assertInLoop()
        if fresh { closeIdle(to: address) }
        if let connection = takeIdle(address) { return .success(connection) }
        return address.connect().map { UpstreamConnection(fd: $0, address: address, loop: loop, pool: self) }
    }

    /// A connection finished its exchange and may be reused.
    func checkIn(_ connection: UpstreamConnection) {
        loop.assertInLoop()
        idle[connection.address, default: []].append(connection)
    }

    /// A connection closed (by either side).
    func remove(_ connection: UpstreamConnection) {
        loop.assertInLoop()
        let address = connection.address
        if var list = idle[address], let index = list.firstIndex(where: { $0 === connection }) {
            list.remove(at: index)
            idle[address] = list.isEmpty ? nil : list
        }
    }

    /// Closes idle connections to an upstream that went away (its socket path is never reused).
    func closeIdle(to address: UpstreamEndpoint) {
        loop.assertInLoop()
        for connection in idle.removeValue(forKey: address) ?? [] { connection.close() }
    }

    private func takeIdle(_ address: UpstreamEndpoint) -> UpstreamConnection? {
        let now = MonotonicClock.now()
        while let candidate = idle[address]?.popLast() {
            if idle[address]?.isEmpty == true { idle[address] = nil }
            if !candidate.isClosed && now &- candidate.lastActivity < Self.maxIdleNanoseconds {
                return candidate
            }
            candidate.close()
        }
        return nil
    }
}
