/// Idle keep-alive connections to upstreams, one pool per event loop so no lock is needed.
final class UpstreamConnectionPool {
    /// httplib (llama-server) closes idle keep-alive connections after 5 s; never reuse one that
    /// old, so a request is not lost to that race.
    private static let maxIdleNanoseconds: UInt64 = 3_000_000_000
    private static let maxIdlePerAddress = 64

    let loop: EventLoop
    let idleTimeout: UInt64?
    private var idle: [UpstreamAddress: [UpstreamConnection]] = [:]

    init(loop: EventLoop, idleTimeout: UInt64?) {
        self.loop = loop
        self.idleTimeout = idleTimeout
    }

    /// A live idle connection, or a new one.
    func connection(to address: UpstreamAddress) -> Result<UpstreamConnection, UpstreamError> {
        let now = MonotonicClock.now()
        while let candidate = idle[address]?.popLast() {
            if !candidate.isClosed && now &- candidate.lastActivity < Self.maxIdleNanoseconds {
                return .success(candidate)
            }
            candidate.close()
        }
        return address.connect().map { UpstreamConnection(fd: $0, address: address, loop: loop, pool: self) }
    }

    func checkIn(_ connection: UpstreamConnection) {
        var list = idle[connection.address, default: []]
        guard list.count < Self.maxIdlePerAddress else {
            connection.close()
            return
        }
        list.append(connection)
        idle[connection.address] = list
    }

    func remove(_ connection: UpstreamConnection) {
        guard var list = idle[connection.address], let index = list.firstIndex(where: { $0 === connection }) else { return }
        list.remove(at: index)
        idle[connection.address] = list.isEmpty ? nil : list
    }

    /// Closes idle connections to an upstream that went away (its socket path is never reused).
    func closeIdle(to address: UpstreamAddress) {
        for connection in idle.removeValue(forKey: address) ?? [] { connection.close() }
    }
}
