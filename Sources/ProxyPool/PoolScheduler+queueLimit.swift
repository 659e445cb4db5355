import ProxyTime

/// The bound on a model's queue: an acquire that finds `queueLimit` waiters ahead of it is
/// refused at once instead of joining them (back-pressure), with a hint of when to try again.
extension PoolScheduler {
    /// The refusal for an acquire of `spec` if its model's queue is full, else nil.
    func queueFullRefusal(_ spec: LaunchSpec, now: UInt64) -> PoolError? {
        guard let limit = spec.queueLimit, let model = models[spec.modelID], model.queue.count >= limit else { return nil }
        let retryAfter = Self.retryAfterSeconds(whenFull: model, now: now)
        let requests = limit == 1 ? "request waits" : "requests wait"
        return PoolError(
            kind: .queueFull, modelID: spec.modelID,
            message: "the queue of model '\(spec.modelID)' is full: \(limit) \(requests) for it (queue_max \(limit)); retry in \(retryAfter) s",
            retryAfterSeconds: retryAfter)
    }

    /// A place in the queue frees up when one of its waiters is served. A loading model serves
    /// its queue when the load ends: guess it takes as long again as it has so far. A loaded one
    /// (or one waiting for room) turns its slots over as requests finish: 1 s.
    static func retryAfterSeconds(whenFull model: Model, now: UInt64) -> Int {
        guard model.state == .starting else { return 1 }
        let loadingFor = MonotonicClock.milliseconds(from: model.startedAt, to: now)
        return max(1, Int((loadingFor + 999) / 1000))
    }
}
