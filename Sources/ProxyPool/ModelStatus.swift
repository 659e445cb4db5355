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

    public init(state: ModelState, pid: Int32?, inFlight: Int, queued: Int = 0) {
        self.state = state
        self.pid = pid
        self.inFlight = inFlight
        self.queued = queued
    }
}
