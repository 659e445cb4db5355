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
    /// Where the current child runs (nil when none does).
    public var device: String?
    /// The figure the model is placed by: what its current child holds, else what its next
    /// start would need.
    public var memoryBytes: UInt64
    /// The last measurement of a child of this model (nil: none yet).
    public var measuredBytes: UInt64?
    /// What the last child that reported said it allocated (llama-server's buffers; nil: none yet).
    public var reportedBytes: UInt64?
    /// When an idle model will be unloaded for its TTL (monotonic nanoseconds); nil while it is
    /// busy, not loaded, pinned or kept for ever.
    public var expiresAt: UInt64?

    public init(
        state: ModelState, pid: Int32?, inFlight: Int, queued: Int = 0, device: String? = nil, memoryBytes: UInt64 = 0,
        measuredBytes: UInt64? = nil, reportedBytes: UInt64? = nil, expiresAt: UInt64? = nil
    ) {
        self.reportedBytes = reportedBytes
        self.state = state
        self.pid = pid
        self.inFlight = inFlight
        self.queued = queued
        self.device = device
        self.memoryBytes = memoryBytes
        self.measuredBytes = measuredBytes
        self.expiresAt = expiresAt
    }
}
