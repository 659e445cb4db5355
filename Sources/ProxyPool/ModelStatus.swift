/// A model's life cycle, as llama-swap names it. Every state but `stopped` holds a slot.
public enum ModelState: String, Sendable {
    case stopped, starting, ready, stopping
}

public struct ModelStatus: Sendable, Equatable {
    public var state: ModelState
    public var pid: Int32?
    /// Leases handed out and not yet released.
    public var inFlight: Int

    public init(state: ModelState, pid: Int32?, inFlight: Int) {
        self.state = state
        self.pid = pid
        self.inFlight = inFlight
    }
}
