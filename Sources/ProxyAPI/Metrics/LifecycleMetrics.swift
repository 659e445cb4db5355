import ProxyPool

/// What happens seldom, off the request path: loads, unloads, agent calls, plugin reloads.
/// Kept under one lock in `ProxyMetrics`.
struct LifecycleMetrics: Sendable {
    struct ModelLabel: Hashable, Sendable {
        var model: String
        var label: String
    }

    var loads: [ModelLabel: UInt64] = [:]
    var loadDuration: [String: Histogram] = [:]
    var unloads: [ModelLabel: UInt64] = [:]
    /// Keyed by command and outcome.
    var agentCalls: [ModelLabel: UInt64] = [:]
    /// Exchanges through a response hook, by hook and outcome.
    var hookExchanges: [ModelLabel: UInt64] = [:]
    var pluginReloads: [String: UInt64] = [:]

    mutating func record(_ metric: PoolMetric) {
        switch metric {
        case .loadFinished(let modelID, let result, let nanoseconds):
            loads[ModelLabel(model: modelID, label: result.rawValue), default: 0] &+= 1
            if result == .ready {
                loadDuration[modelID, default: Histogram(bounds: HistogramBuckets.loadSeconds)].observe(Double(nanoseconds) / 1e9)
            }
        case .unloaded(let modelID, let reason):
            unloads[ModelLabel(model: modelID, label: reason), default: 0] &+= 1
        }
    }
}
