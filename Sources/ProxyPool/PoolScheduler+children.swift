import ProxyTime
/// What the process layer reports about a child. Each event names the instance it is about;
/// one about a child that is no longer current (a late "ready" from a child that already
/// died, say) changes nothing.
extension PoolScheduler {
    mutating func childSpawned(_ modelID: String, instance: Int, pid: Int32, cacheKey: SlotCacheKey? = nil) {
        guard current(modelID, instance: instance) != nil else { return }
        models[modelID]!.pid = pid
        models[modelID]!.cacheKey = cacheKey
    }

    /// The load is done: the queue gets the model's slots in order, and the clocks of those
    /// still waiting run again.
    mutating func childReady(_ modelID: String, instance: Int, now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance), model.state == .starting, model.slotPhase == .none else { return [] }
        if let restore = restoreIfCached(modelID, instance: instance, now: now) { return restore }
        return becomeReady(modelID, instance: instance, now: now)
    }

    /// The child serves from now on (after the restore of its saved slots, if it had any).
    mutating func becomeReady(_ modelID: String, instance: Int, now: UInt64) -> [PoolAction] {
        let model = models[modelID]!
        models[modelID]!.state = .ready
        models[modelID]!.readyAt = now
        models[modelID]!.lastUsed = now
        models[modelID]!.lifetimeState = LifetimeState()
        models[modelID]!.lastLoadDuration = now > model.startedAt ? now - model.startedAt : 0
        var actions: [PoolAction] = [
            .log("load model=\(modelID) pid=\(Self.pid(model)) ready in \(MonotonicClock.milliseconds(from: model.startedAt, to: now)) ms"),
            .record(.loadFinished(modelID: modelID, result: .ready, nanoseconds: models[modelID]!.lastLoadDuration)),
        ]
        actions += serveQueue(of: modelID)
        actions += runQueueClocks(of: modelID, now: now)
        actions += becameIdle(modelID, now: now)  // a preload: nobody waited for it
        actions += nextHealthCheck(modelID, instance: instance, now: now)
        actions += sampleGPU(modelID)
        return actions + place(now: now)
    }

    /// The child is up but not healthy in time: fail its waiters now, kill it, and keep the
    /// slot until it is gone.
    mutating func loadTimedOut(_ modelID: String, instance: Int, logTail: [String], now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance), model.state == .starting else { return [] }
        let reason = "not ready within \(Self.seconds(configuration.loadTimeout)) s"
        let error = PoolError(
            kind: .loadTimeout, modelID: modelID, message: "llama-server for model '\(modelID)' was \(reason)",
            logTail: logTail)
        var actions = loadFailure(model, reason: reason, error: error, result: .timeout, now: now)
        models[modelID]!.lastError = error.message
        models[modelID]!.state = .stopping
        models[modelID]!.stopReason = .loadTimeout
        models[modelID]!.stopRequestedAt = now
        actions += sampleGPU(modelID)
        actions.append(.kill(modelID: modelID, instance: instance))
        return actions
    }

    /// The child is gone (and reaped): its slot is free again, whatever state it was in. A child
    /// that exits while loading, or soon after it became ready, puts the model in its restart
    /// backoff; waiters still queued are then failed (or, without a backoff, served by a restart).
    mutating func childExited(_ modelID: String, instance: Int, exit: ChildExit, now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance), model.state != .stopped else { return [] }
        let pid = Self.pid(model)
        var actions: [PoolAction]
        switch model.state {
        case .starting:
            let error = PoolError(
                kind: .startFailed, modelID: modelID,
                message: "llama-server for model '\(modelID)' failed to start: \(exit.description)", logTail: exit.logTail)
            actions = loadFailure(model, reason: exit.description, error: error, result: .failed, now: now)
            models[modelID]!.lastError = error.message
            models[modelID]!.backoff.recordFailure(error, spec: model.spec, now: now)
        case .ready:
            let uptime = now > model.readyAt ? now - model.readyAt : 0
            actions = [
                .log("unload model=\(modelID) pid=\(pid) reason=exit (\(exit.description)) after \(uptime / 1_000_000) ms loaded"),
                .record(.unloaded(modelID: modelID, reason: "exit")),
            ]
            models[modelID]!.lastError = "llama-server \(exit.description) after \(uptime / 1_000_000) ms loaded"
            if models[modelID]!.backoff.childEnded(afterReadyFor: uptime) {
                let error = PoolError(
                    kind: .startFailed, modelID: modelID,
                    message: "llama-server for model '\(modelID)' \(exit.description) \(uptime / 1_000_000) ms after it was ready",
                    logTail: exit.logTail)
                models[modelID]!.backoff.recordFailure(error, spec: model.spec, now: now)
            }
        default:
            let took = MonotonicClock.milliseconds(from: model.stopRequestedAt, to: now)
            let reason = model.stopReason?.rawValue ?? "exit"
            actions = [.log("unload model=\(modelID) pid=\(pid) reason=\(reason) after \(took) ms"), .record(.unloaded(modelID: modelID, reason: reason))]
            if model.readyAt > 0 { _ = models[modelID]!.backoff.childEnded(afterReadyFor: now - min(now, model.readyAt)) }
        }
        actions += beginGPURelease(model, now: now)
        models[modelID]!.state = .stopped
        models[modelID]!.pid = nil
        models[modelID]!.inFlight = 0
        models[modelID]!.stopReason = nil
        models[modelID]!.device = nil
        models[modelID]!.placedBytes = 0
        models[modelID]!.isDraining = false
        models[modelID]!.isUnloading = false
        models[modelID]!.slotPhase = .none
        models[modelID]!.cacheKey = nil
        return actions + place(now: now)
    }

    /// Logs the failure and fails every waiter of the load.
    private mutating func loadFailure(
        _ model: Model, reason: String, error: PoolError, result: PoolMetric.LoadResult, now: UInt64
    ) -> [PoolAction] {
        let took = MonotonicClock.milliseconds(from: model.startedAt, to: now)
        let lastLine = error.logTail.last.map { "; last output: \($0)" } ?? ""
        let line = "load failed model=\(model.spec.modelID) pid=\(Self.pid(model)) after \(took) ms: \(reason)\(lastLine)"
        let metric = PoolMetric.loadFinished(modelID: model.spec.modelID, result: result, nanoseconds: now - min(now, model.startedAt))
        return [.log(line), .record(metric)] + takeQueue(of: model.spec.modelID).map { .fail(waiter: $0.id, error) }
    }

    static func pid(_ model: Model) -> String {
        model.pid.map(String.init) ?? "-"
    }
}
