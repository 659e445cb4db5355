import ProxyTime
/// Keep-alive connections to upstreams, one pool per event loop so no lock is needed.
///
/// Each upstream address gets at most `limit` connections (idle or busy) from this loop; further
/// requests wait here, first come first served. llama-server serves one keep-alive connection per
/// HTTP thread until it has been idle for 5 s, so opening more connections than it has threads
/// parks requests invisibly inside it for seconds; queueing them here keeps the order fair and
/// leaves it a thread free for health checks.
final class UpstreamConnectionPool {
    /// httplib (llama-server) closes idle keep-alive connections after 5 s; never reuse one that
    /// old, so a request is not lost to that race.
    private static let maxIdleNanoseconds: UInt64 = 3_000_000_000

    /// A request waiting for a connection; `cancel()` when its client goes away.
    final class Waiter {
        fileprivate let deliver: (Result<UpstreamConnection, UpstreamError>) -> Void
        fileprivate var cancelled = false
        fileprivate init(_ deliver: @escaping (Result<UpstreamConnection, UpstreamError>) -> Void) { self.deliver = deliver }
        func cancel() { cancelled = true }
    }

    let loop: EventLoop
    let idleTimeout: UInt64?
    private var idle: [UpstreamAddress: [UpstreamConnection]] = [:]
    private var open: [UpstreamAddress: Int] = [:]
    private var limits: [UpstreamAddress: Int] = [:]
    private var waiters: [UpstreamAddress: [Waiter]] = [:]

    init(loop: EventLoop, idleTimeout: UInt64?) {
        self.loop = loop
        self.idleTimeout = idleTimeout
    }

    /// Hands a connection to `deliver`: at once when one is idle or may be opened, otherwise when
    /// one frees up. Returns the waiter when the request had to queue.
    @discardableResult
    func lease(to address: UpstreamAddress, limit: Int, fresh: Bool = false,
               _ deliver: @escaping (Result<UpstreamConnection, UpstreamError>) -> Void) -> Waiter? {
        limits[address] = max(1, limit)
        if fresh { closeIdle(to: address) }
        if let connection = takeIdle(address) {
            deliver(.success(connection))
            return nil
        }
        if open[address, default: 0] < max(1, limit) {
            deliver(openConnection(to: address))
            return nil
        }
        let waiter = Waiter(deliver)
        waiters[address, default: []].append(waiter)
        return waiter
    }

    /// A connection finished its exchange and may be reused.
    func checkIn(_ connection: UpstreamConnection) {
        idle[connection.address, default: []].append(connection)
        // Hand it over on the next turn of the loop, not from inside the exchange that just ended.
        loop.enqueueInLoop { [self] in serveWaiters(connection.address) }
    }

    /// A connection closed (by either side).
    func remove(_ connection: UpstreamConnection) {
        let address = connection.address
        open[address, default: 1] -= 1
        if open[address] == 0 { open[address] = nil }
        if var list = idle[address], let index = list.firstIndex(where: { $0 === connection }) {
            list.remove(at: index)
            idle[address] = list.isEmpty ? nil : list
        }
        loop.enqueueInLoop { [self] in serveWaiters(address) }
    }

    /// Closes idle connections to an upstream that went away (its socket path is never reused).
    func closeIdle(to address: UpstreamAddress) {
        for connection in idle.removeValue(forKey: address) ?? [] { connection.close() }
    }

    private func serveWaiters(_ address: UpstreamAddress) {
        while var queue = waiters[address], !queue.isEmpty {
            let waiter = queue.removeFirst()
            waiters[address] = queue.isEmpty ? nil : queue
            if waiter.cancelled { continue }
            if let connection = takeIdle(address) {
                waiter.deliver(.success(connection))
            } else if open[address, default: 0] < limits[address, default: 1] {
                waiter.deliver(openConnection(to: address))
            } else {
                waiters[address, default: []].insert(waiter, at: 0)
                return
            }
        }
    }

    private func takeIdle(_ address: UpstreamAddress) -> UpstreamConnection? {
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

    private func openConnection(to address: UpstreamAddress) -> Result<UpstreamConnection, UpstreamError> {
        address.connect().map { fd in
            open[address, default: 0] += 1
            return UpstreamConnection(fd: fd, address: address, loop: loop, pool: self)
        }
    }
}
