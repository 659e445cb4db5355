import ProxyTime

extension PoolScheduler {
    /// The per-request fast path: one hash lookup, no allocation. Only when nobody is queued
    /// for the model (first come, first served) and it has a free slot.
    mutating func acquireIfReady(_ modelID: String) -> ServerLease? {
        guard let index = models.index(forKey: modelID) else { return nil }
        let model = models.values[index]
        guard model.state == .ready, model.queue.isEmpty, model.hasFreeSlot, !model.refusesRequests else { return nil }
        models.values[index].inFlight += 1
        return lease(for: model)
    }

    /// An acquire that the fast path could not serve: it joins its model's queue, and then is
    /// served at once, joins the load, starts one, or waits. A full queue refuses it at once.
    mutating func enqueue(_ spec: LaunchSpec, waiter: Int, now: UInt64) -> [PoolAction] {
        if isShuttingDown {
            return [.fail(waiter: waiter, shuttingDownError(spec.modelID))]
        }
        if let refusal = queueFullRefusal(spec, now: now) {
            return [.fail(waiter: waiter, refusal)]
        }
        let modelID = spec.modelID
        ensureRecord(for: spec)
        appendWaiter(
            Waiter(
                id: waiter, spec: spec, arrival: nextArrival, queueBudget: configuration.queueTimeout.nanosecondsIfLimited,
                enqueuedAt: now),
            to: modelID)
        nextArrival += 1
        var actions = place(now: now)
        if models[modelID]!.state != .starting { actions += runQueueClocks(of: modelID, now: now) }
        return actions
    }

    /// Creates the model's record (stopped) the first time it is asked for.
    mutating func ensureRecord(for spec: LaunchSpec) {
        guard models[spec.modelID] == nil else { return }
        models[spec.modelID] = Model(
            spec: spec, state: .stopped, instance: 0, endpoint: .unixSocket(path: ""), lastUsed: 0,
            backoff: RestartBackoff(maximum: configuration.restartBackoffMax.nanosecondsIfLimited))
    }

    /// The request is over; `keepAlive` is what it asked for (the last one to finish decides how
    /// long the model stays loaded once idle).
    mutating func release(_ lease: ServerLease, keepAlive: KeepAlive? = nil, now: UInt64) -> [PoolAction] {
        // A lease on a child that died (or was replaced) no longer counts anywhere.
        guard let index = models.index(forKey: lease.modelID),
              models.values[index].instance == lease.instance,
              models.values[index].inFlight > 0
        else { return [] }
        models.values[index].inFlight -= 1
        models.values[index].lastUsed = now
        models.values[index].lifetimeState.lastKeepAlive = keepAlive
        var actions: [PoolAction] = []
        if models.values[index].isUnloading && models.values[index].inFlight == 0 {
            actions = finishUnload(lease.modelID, now: now)
        } else if models.values[index].inFlight == 0 && hasIdleRules(models.values[index]) {
            actions = becameIdle(lease.modelID, now: now)  // first: a TTL of 0 frees its slot for the queue
        }
        return queuedTotal == 0 ? actions : actions + place(now: now)
    }

    /// A request on `lease` found its child's socket refusing connections: the child is dead or
    /// dying, whatever its exit has not told us yet. It is killed (its exit is reported as usual,
    /// `reason=unreachable`), so the next acquire waits for that exit and starts it afresh
    /// instead of being handed the same dead child. The lease is released first.
    mutating func unreachable(_ lease: ServerLease, now: UInt64) -> [PoolAction] {
        var actions = release(lease, now: now)
        guard var model = current(lease.modelID, instance: lease.instance), model.state == .ready else { return actions }
        model.state = .stopping
        model.stopReason = .unreachable
        model.stopRequestedAt = now
        models[lease.modelID] = model
        actions.append(.log("model=\(lease.modelID) pid=\(Self.pid(model)) refuses connections: killing it"))
        actions.append(.kill(modelID: lease.modelID, instance: lease.instance))
        return actions
    }

    /// The caller gave up (its client went away): the waiter leaves its queue at once, and a
    /// load that nobody waits for any more is abandoned. A waiter already served is not found.
    mutating func cancel(_ modelID: String, waiter: Int, now: UInt64) -> [PoolAction] {
        guard let index = models[modelID]?.queue.firstIndex(where: { $0.id == waiter }) else { return [] }
        removeWaiter(at: index, of: modelID)
        var actions: [PoolAction] = [
            .fail(waiter: waiter, PoolError(kind: .cancelled, modelID: modelID, message: "the request was cancelled"))
        ]
        let model = models[modelID]!
        if model.state == .starting && model.queue.isEmpty {
            models[modelID]!.state = .stopping
            models[modelID]!.stopReason = .abandoned
            models[modelID]!.stopRequestedAt = now
            let took = MonotonicClock.milliseconds(from: model.startedAt, to: now)
            actions.append(.log("load abandoned model=\(modelID) pid=\(Self.pid(model)) after \(took) ms: nobody waits for it"))
            actions.append(.record(.loadFinished(modelID: modelID, result: .abandoned, nanoseconds: now - min(now, model.startedAt))))
            actions.append(.kill(modelID: modelID, instance: model.instance))
        }
        return actions + place(now: now)  // it may have held up a drain, or kept its model from being idle
    }

    func shuttingDownError(_ modelID: String) -> PoolError {
        PoolError(kind: .shuttingDown, modelID: modelID, message: "the proxy is shutting down")
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
