/// A countable fact about a model's life cycle, emitted by the scheduler next to its log lines
/// so that metrics never parse log text.
public enum PoolMetric: Sendable, Equatable {
    /// A load ended: ready, or not (the child failed, timed out, or nobody waited for it any
    /// more). `nanoseconds` from its start.
    case loadFinished(modelID: String, result: LoadResult, nanoseconds: UInt64)
    /// A child that was ready, or being stopped, is gone (a load that fails is counted by
    /// `loadFinished` only). `reason`: `exit` (on its own), else the stop reason the log line
    /// names (`evicted`, `ttl`, `group`, `unhealthy`, `requested`, `shutdown`, `abandoned`, `unreachable`, `load-timeout`).
    case unloaded(modelID: String, reason: String)

    public enum LoadResult: String, Sendable, Equatable, CaseIterable {
        case ready, failed, timeout, abandoned
    }
}
