import ProxyHTTP

/// A live reader of a `LogStore`: it takes rendered lines as they arrive, from any thread, and
/// must never wait; `false` says it takes nothing more (too slow, or gone), and the store lets go.
protocol LogSubscriber: Sendable {
    func send(_ bytes: [UInt8]) -> Bool
    /// The store is closing (the proxy stops): end after what was sent.
    func finish()
}

extension LiveBodyStream: LogSubscriber {}
