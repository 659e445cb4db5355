/// What a model's children write and when each starts and ends, for a log kept outside the pool.
/// Delivered on the children's own threads, in order per child and outside every pool lock; the
/// receiver must return quickly (it holds up that child's output reader, never the pool).
public enum ChildLogEvent: Sendable, Equatable {
    /// A child of the model was spawned; its lines follow.
    case started(modelID: String, pid: Int32)
    /// Lines the child wrote, in order, as bytes without their `\n` (overlong ones cut at 1000
    /// bytes; echoes of the pool's own `/health` probes left out).
    case lines(modelID: String, [[UInt8]])
    /// The child is gone (or never started), after its last lines: why, e.g. `exited with status 1`.
    case exited(modelID: String, description: String)
}
