/// Who gets room first when several models wait for it, and the starvation bound.
///
/// A loaded model serves its own queue before it is swapped out: it is only evicted once idle
/// (nothing in flight, nobody queued), so the requests that arrive for it while others wait ride
/// on the load already paid for. Among the models waiting for room: first those that other
/// models were stopped for (their swap is under way), then those waiting for their
/// own child to stop (it frees their room unless claimed), then those past the bound
/// (longest waiting first), then higher `priority`, then more requests waiting (one swap serves
/// them all), then the oldest request.
///
/// The bound (`maxWait`): a model's claim counts from its oldest request's arrival, or from its
/// own last eviction when that is later. A model whose claim is older than the bound and that
/// still cannot get room makes the cheapest set of models in its way drain, among those loaded
/// for at least the bound themselves (so two models never take the room from each other back
/// and forth): they take no new requests, finish those in flight, and are then evicted for it,
/// even with requests queued (those wait for room in turn, their claim counting from then).
extension PoolScheduler {
    func modelsWaitingForRoom(now: UInt64) -> [String] {
        var keyed: [(key: [Int64], modelID: String)] = []
        for (modelID, model) in models where !model.queue.isEmpty && (model.state == .stopped || model.state == .stopping) {
            let oldest = model.queue[0]
            let starving = isStarving(modelID, now: now)
            let key: [Int64] = [
                model.hasClaim ? 0 : model.state == .stopping ? 1 : 2,
                starving ? 0 : 1, starving ? Int64(clamping: max(oldest.enqueuedAt, model.roomLostAt)) : 0,
                -Int64(model.queue.last!.spec.priority), -Int64(model.queue.count), Int64(oldest.arrival),
            ]
            keyed.append((key, modelID))
        }
        keyed.sort { $0.key == $1.key ? $0.modelID < $1.modelID : $0.key.lexicographicallyPrecedes($1.key) }
        return keyed.map(\.modelID)
    }

    /// Its claim to room (see above) is older than the bound.
    func isStarving(_ modelID: String, now: UInt64) -> Bool {
        guard let bound = configuration.maxWait.nanosecondsIfLimited, let model = models[modelID],
              let oldest = model.queue.first
        else { return false }
        let since = max(oldest.enqueuedAt, model.roomLostAt)
        return now >= since && now - since >= bound
    }

    /// Loaded for at least the bound: it may be drained.
    func hadItsTurn(_ model: Model, now: UInt64) -> Bool {
        guard let bound = configuration.maxWait.nanosecondsIfLimited else { return false }
        return now >= model.readyAt && now - model.readyAt >= bound
    }

    /// Makes the cheapest set of loaded models that stands in the way of `modelID` drain (the
    /// same set as in the last pass while it still stands there, so a drain runs to its end), and
    /// evicts them once none has a request in flight.
    mutating func drain(for modelID: String, ledger: inout PlacementLedger, now: UInt64, actions: inout [PoolAction]) {
        let model = models[modelID]!
        let spec = model.queue.last!.spec
        let need = memoryNeed(of: model, spec: spec)
        let plan: DrainPlan
        if let previous = drainPlan, previous.modelID == modelID,
           previous.blockers.allSatisfy({ models[$0]?.state == .ready && models[$0]?.device == previous.device }) {
            plan = previous
        } else {
            guard let (device, blockers) = chooseVictims(
                for: need, on: allowedDevices(for: spec), ledger: ledger, now: now,
                among: { hadItsTurn($0, now: now) && $0.mayBeUnloaded(for: spec) })
            else {
                drainPlan = nil
                return
            }
            plan = DrainPlan(modelID: modelID, device: device, blockers: blockers)
            let waited = (now - min(now, max(model.queue[0].enqueuedAt, model.roomLostAt))) / 1_000_000_000
            actions.append(.log(
                "drain model=\(blockers.joined(separator: ",")) for model=\(modelID) on \(device): its oldest request waited \(waited) s"))
        }
        drainPlan = plan
        for blocker in plan.blockers {
            models[blocker]!.isDraining = true
        }
        anyDraining = true
        guard plan.blockers.allSatisfy({ models[$0]!.inFlight == 0 }) else { return }
        for victim in plan.blockers {
            ledger.stop(models[victim]!.placedBytes, on: models[victim]!.device ?? plan.device)
            actions += evict(victim, for: modelID, need: need, device: plan.device, now: now)
        }
        ledger.reserve(need, on: plan.device)
        drainPlan = nil
    }

    /// Drains end with every placement pass; the pass sets again those still needed.
    mutating func clearDrains() {
        guard anyDraining else { return }
        for modelID in models.keys where models[modelID]!.isDraining {
            models[modelID]!.isDraining = false
        }
        anyDraining = false
    }
}
