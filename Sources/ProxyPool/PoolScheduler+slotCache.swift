import ProxyTime

/// The prompt cache across swaps. A child that stops for any reason but a crash, a failed load
/// or shutdown (evicted, ttl or keep_alive 0, group, a health check it failed is a crash) first
/// saves the slots that hold a conversation (`saving`), then gets its SIGTERM; it keeps its room
/// meanwhile, so the request that evicted it waits for the save and the stop, no more. The next
/// child of the same key (model file, arguments, llama-server binary: see SlotCacheKey) has them
/// restored after `/health` answers and before its queue is served. Saving and restoring are
/// bounded by `slotSaveTimeout`; a failure or a timeout only logs, and the stop (or the ready)
/// goes ahead.
extension PoolScheduler {
    enum SlotPhase: Sendable, Equatable {
        case none, saving, restoring
    }

    /// Stops a ready child gracefully: through `saving` when its slots are worth keeping.
    mutating func stopChild(_ modelID: String, reason: StopReason, now: UInt64) -> [PoolAction] {
        let model = models[modelID]!
        models[modelID]!.state = .stopping
        models[modelID]!.stopReason = reason
        models[modelID]!.stopRequestedAt = now
        let sample = sampleGPU(modelID)
        guard slotCache.isEnabled, model.cacheKey != nil, reason != .shutdown, model.state == .ready else {
            return sample + [.stop(modelID: modelID, instance: model.instance)]
        }
        models[modelID]!.slotPhase = .saving
        return sample + [.saveSlots(modelID: modelID, instance: model.instance)] + armSlotTimer(model, now: now)
    }

    /// The child's slots were saved (`files`: those that held a conversation, maybe none): they
    /// are recorded against its key, the budget is applied, and the child stops.
    mutating func slotsSaved(_ modelID: String, instance: Int, files: [SlotCacheLedger.File], now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance), model.state == .stopping else { return [] }
        var actions: [PoolAction] = []
        if !files.isEmpty {
            let over = slotCache.record(files)
            if !over.isEmpty { actions.append(.deleteSlotFiles(over)) }
            let bytes = files.reduce(0) { $0 + $1.bytes }
            actions.append(.log(
                "slot cache saved model=\(modelID) pid=\(Self.pid(model)) slots=\(files.map { String($0.slot) }.joined(separator: ","))"
                    + " \(bytes / 1024) KiB in \(MonotonicClock.milliseconds(from: model.stopRequestedAt, to: now)) ms"
                    + " (cache \(slotCache.totalBytes / 1024) KiB of \(slotCache.budgetBytes / 1024))"))
        }
        guard model.slotPhase == .saving else { return actions }  // its timeout already stopped it
        models[modelID]!.slotPhase = .none
        return actions + [.stop(modelID: modelID, instance: instance)]
    }

    /// `/health` answered: restore the key's saved slots first, if there are any.
    mutating func restoreIfCached(_ modelID: String, instance: Int, now: UInt64) -> [PoolAction]? {
        let model = models[modelID]!
        guard slotCache.isEnabled, let key = model.cacheKey else { return nil }
        let files = slotCache.files(for: key)
        guard !files.isEmpty else { return nil }
        slotCache.touch(key, now: now)
        models[modelID]!.slotPhase = .restoring
        models[modelID]!.slotPhaseSince = now
        return [.restoreSlots(modelID: modelID, instance: instance, files: files)] + armSlotTimer(model, now: now)
    }

    /// The restore is done (`restored` of the files went in): the child is ready now.
    mutating func slotsRestored(_ modelID: String, instance: Int, restored: Int, tried: Int, now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance), model.state == .starting, model.slotPhase == .restoring else {
            return []
        }
        models[modelID]!.slotPhase = .none
        let line = PoolAction.log(
            "slot cache restored model=\(modelID) pid=\(Self.pid(model)) \(restored) of \(tried) slot(s)"
                + " in \(MonotonicClock.milliseconds(from: model.slotPhaseSince, to: now)) ms")
        return [line] + becomeReady(modelID, instance: instance, now: now)
    }

    /// The save or restore took longer than `slotSaveTimeout`: go on without it.
    mutating func slotTimerFired(_ modelID: String, instance: Int, now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance) else { return [] }
        let seconds = Self.seconds(configuration.slotSaveTimeout)
        switch model.slotPhase {
        case .saving where model.state == .stopping:
            models[modelID]!.slotPhase = .none
            return [.log("slot cache save model=\(modelID) pid=\(Self.pid(model)) took over \(seconds) s: stopping without it"),
                    .stop(modelID: modelID, instance: instance)]
        case .restoring where model.state == .starting:
            models[modelID]!.slotPhase = .none
            return [.log("slot cache restore model=\(modelID) pid=\(Self.pid(model)) took over \(seconds) s: ready without it")]
                + becomeReady(modelID, instance: instance, now: now)
        default:
            return []
        }
    }

    private func armSlotTimer(_ model: Model, now: UInt64) -> [PoolAction] {
        guard let timeout = configuration.slotSaveTimeout.nanosecondsIfLimited else { return [] }
        let timer = ModelTimer(kind: .slotCache, modelID: model.spec.modelID, instance: model.instance)
        return [.armModelTimer(timer, deadline: now &+ timeout)]
    }
}
