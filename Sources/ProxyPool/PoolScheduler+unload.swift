/// Unloading on request (`POST /models/unload`, `/unload`), pinned models included. A ready model
/// with nothing in flight stops at once (its slots saved first, as for an eviction); one with
/// requests in flight takes no new ones, lets those finish, and stops when the last one ends; a
/// loading one is killed. Requests queued for the model when the unload is asked for fail
/// (`PoolError.Kind.unloaded`); requests that come later wait, and load it again once it has
/// stopped. A model that is not loaded is left alone, and so are requests waiting for room to
/// load it. The child's exit is logged and counted with `reason=requested`.
extension PoolScheduler {
    mutating func unload(_ modelID: String, now: UInt64) -> [PoolAction] {
        guard let model = models[modelID], model.state != .stopped else { return [] }
        let error = PoolError(kind: .unloaded, modelID: modelID, message: "model '\(modelID)' was unloaded on request; retry to load it again")
        var actions = takeQueue(of: modelID).map { PoolAction.fail(waiter: $0.id, error) }
        switch model.state {
        case .stopped, .stopping:
            break  // going already
        case .starting:
            models[modelID]!.state = .stopping
            models[modelID]!.stopReason = .requested
            models[modelID]!.stopRequestedAt = now
            actions.append(.log("load cancelled model=\(modelID) pid=\(Self.pid(model)): unload requested"))
            actions.append(.record(.loadFinished(modelID: modelID, result: .abandoned, nanoseconds: now - min(now, model.startedAt))))
            actions.append(.kill(modelID: modelID, instance: model.instance))
        case .ready where model.inFlight == 0:
            actions.append(.log("unload requested model=\(modelID) pid=\(Self.pid(model))"))
            actions += stopChild(modelID, reason: .requested, now: now)
        case .ready:
            models[modelID]!.isUnloading = true
            actions.append(.log(
                "unload requested model=\(modelID) pid=\(Self.pid(model)): stops when its \(model.inFlight) request(s) in flight end"))
        }
        return actions + place(now: now)
    }

    /// Every model that is loaded or loading, in name order.
    mutating func unloadAll(now: UInt64) -> [PoolAction] {
        models.keys.sorted().filter { models[$0]!.state != .stopped }.flatMap { unload($0, now: now) }
    }

    /// The last request in flight on a model being unloaded ended: it stops now.
    mutating func finishUnload(_ modelID: String, now: UInt64) -> [PoolAction] {
        models[modelID]!.isUnloading = false
        return stopChild(modelID, reason: .requested, now: now)
    }
}
