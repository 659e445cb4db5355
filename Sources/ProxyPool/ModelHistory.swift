/// What a model's children did so far, for the management API (`ModelStatus` is what it is
/// doing now). Times are monotonic nanoseconds; 0: never.
public struct ModelHistory: Sendable, Equatable {
    /// When its current (or last) child was started, and when it became ready.
    public var startedAt: UInt64
    public var readyAt: UInt64
    /// When a request on it last ended (or it became ready).
    public var lastUsed: UInt64
    /// Nanoseconds its last load took.
    public var lastLoadDuration: UInt64
    /// Why its last load failed, or why its last child died on its own.
    public var lastError: String?
    /// Children started after the first.
    public var restarts: Int
    /// Why it is stopping (`evicted`, `ttl`, `requested`...), while it is, or is about to.
    public var stopReason: String?

    public init(startedAt: UInt64 = 0, readyAt: UInt64 = 0, lastUsed: UInt64 = 0, lastLoadDuration: UInt64 = 0,
                lastError: String? = nil, restarts: Int = 0, stopReason: String? = nil) {
        self.startedAt = startedAt
        self.readyAt = readyAt
        self.lastUsed = lastUsed
        self.lastLoadDuration = lastLoadDuration
        self.lastError = lastError
        self.restarts = restarts
        self.stopReason = stopReason
    }
}
