/// Idle TTL. A ready model with nothing in flight or queued is unloaded (`reason=ttl`) once it has
/// been idle for its TTL: what the last request to finish asked for (`keep_alive`), else its
/// configured one; a pinned model never. A TTL of zero unloads it as soon as it is idle. The
/// timer is never cancelled: a request meanwhile makes the model busy, and a timer that fires
/// for a busy model, a replaced child or a deadline that has moved on changes nothing (or arms
/// the later one). A release arms no timer while one that fires early enough is pending, so a
/// model in steady use has at most one or two timers outstanding.
extension PoolScheduler {
    /// The TTL that applies once the model is idle, in nanoseconds; nil: it stays loaded.
    func idleTTL(of model: Model) -> UInt64? {
        guard model.isEvictable else { return nil }
        switch model.lifetimeState.lastKeepAlive {
        case .forever: return nil
        case .nanoseconds(let value): return value
        case nil: return model.spec.lifetime.idleTTL
        }
    }

    /// Whether an idle model has a TTL to keep at all (cheap: checked on every release).
    func hasIdleRules(_ model: Model) -> Bool {
        model.spec.lifetime.idleTTL != nil || model.lifetimeState.lastKeepAlive != nil
            || model.lifetimeState.expiresAt != nil
    }

    /// The model may just have become idle (its last request finished, or it became ready with
    /// nobody waiting): its TTL starts now.
    mutating func becameIdle(_ modelID: String, now: UInt64) -> [PoolAction] {
        guard let model = models[modelID], model.isUnused else { return [] }
        guard let ttl = idleTTL(of: model) else {
            models[modelID]!.lifetimeState.expiresAt = nil
            return []
        }
        if ttl == 0 { return unloadIdle(modelID, now: now) }
        let deadline = now &+ ttl
        models[modelID]!.lifetimeState.expiresAt = deadline
        return armIdleTimer(modelID, at: deadline)
    }

    /// An idle timer fired: unload the model if it is still idle and its time is up, or wait
    /// for the later expiry a more recent request set.
    mutating func idleTimerFired(_ modelID: String, instance: Int, deadline: UInt64, now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance) else { return [] }
        if model.lifetimeState.idleTimerAt == deadline { models[modelID]!.lifetimeState.idleTimerAt = nil }
        guard model.isUnused, let expiresAt = model.lifetimeState.expiresAt else { return [] }
        if expiresAt <= now { return unloadIdle(modelID, now: now) }
        return armIdleTimer(modelID, at: expiresAt)
    }

    private mutating func armIdleTimer(_ modelID: String, at deadline: UInt64) -> [PoolAction] {
        let model = models[modelID]!
        if let pending = model.lifetimeState.idleTimerAt, pending <= deadline { return [] }
        models[modelID]!.lifetimeState.idleTimerAt = deadline
        return [.armModelTimer(ModelTimer(kind: .idle, modelID: modelID, instance: model.instance), deadline: deadline)]
    }

    private mutating func unloadIdle(_ modelID: String, now: UInt64) -> [PoolAction] {
        models[modelID]!.lifetimeState.expiresAt = nil
        return stopChild(modelID, reason: .ttl, now: now)
    }
}
