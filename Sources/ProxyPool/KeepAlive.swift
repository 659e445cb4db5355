/// A request's own say on how long its model stays loaded once idle (Ollama's `keep_alive`).
/// The last request to finish decides; without one the model's configured TTL applies.
public enum KeepAlive: Sendable, Equatable {
    /// Never unloaded for being idle (a negative `keep_alive`).
    case forever
    /// Unloaded once idle this long; zero unloads it as soon as it is idle.
    case nanoseconds(UInt64)
}
