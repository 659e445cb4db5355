/// A model's life cycle, as llama-swap names it. Every state but `stopped` holds a slot.
public enum ModelState: String, Sendable {
    case stopped, starting, ready, stopping
}

public struct ModelStatus: Sendable, Equatable {
    public var state: ModelState
    public var pid: Int32?
    /// Leases handed out and not yet released.
    public var inFlight: Int
    /// Acquires waiting in the model's queue: for its load, for room to load it, or for a free slot.
    public var queued: Int
    /// When an idle model will be unloaded for its TTL (monotonic nanoseconds); nil while it is
    /// busy, not loaded, pinned or kept for ever.
    public var expiresAt: UInt64?

    public init(state: ModelState, pid: Int32?, inFlight: Int, queued: Int = 0, expiresAt: UInt64? = nil) {
        self.state = state
        self.pid = pid
        self.inFlight = inFlight
        self.queued = queued
        self.expiresAt = expiresAt
    }
}
