import ProxyTime

/// Rent or buy: a model that was in use a moment ago is not swapped out at once for another.
///
/// An idle model may be evicted for a waiting one only once it has been idle for its hold, or
/// the waiting model's oldest request has waited that long (whichever comes first). Its hold is
/// what bringing it back would cost, the duration of its last load, at most `swapHold`. Requests
/// that arrive meanwhile for either model ride on the one decision: clients that fan out over
/// three models with room for two swap once per burst, not once per gap between two requests,
/// while a model left alone for longer than its hold is swapped out as soon as asked. A waiting
/// request pays at most the hold (or `swapHold`) on top of the swap: never more than the swap
/// it saves.
extension PoolScheduler {
    func hold(of model: Model) -> UInt64 {
        min(model.lastLoadDuration, configuration.swapHold.nanosecondsIfLimited ?? 0)
    }

    /// When `victim` may be evicted for a model whose oldest request arrived at `waitingSince`.
    func evictable(_ victim: Model, forWaitingSince waitingSince: UInt64) -> UInt64 {
        let hold = hold(of: victim)
        return min(victim.lastUsed &+ hold, waitingSince &+ hold)
    }

    /// No idle model could be evicted for `modelID` because of holds alone: one timer for when
    /// the first hold ends, so the placement runs again then (a later one changes nothing).
    mutating func armHoldTimer(for modelID: String, spec: LaunchSpec, waitingSince: UInt64, now: UInt64) -> [PoolAction] {
        let held = models.values.filter { $0.isIdle && $0.mayBeUnloaded(for: spec) }
            .map { evictable($0, forWaitingSince: waitingSince) }
            .filter { $0 > now }
        guard let deadline = held.min(), models[modelID]?.holdTimerAt != deadline else { return [] }
        models[modelID]!.holdTimerAt = deadline
        return [.armModelTimer(ModelTimer(kind: .swapHold, modelID: modelID, instance: 0), deadline: deadline)]
    }

    /// A hold ended: the waiting models get another placement pass.
    mutating func holdTimerFired(_ modelID: String, now: UInt64) -> [PoolAction] {
        if models[modelID]?.holdTimerAt.map({ $0 <= now }) == true { models[modelID]!.holdTimerAt = nil }
        return place(now: now)
    }
}
