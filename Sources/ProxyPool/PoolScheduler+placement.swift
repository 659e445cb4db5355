extension PoolScheduler {
    /// Serves whatever waiting acquires can be served now: grants on ready models, joins on
    /// starting ones, then slots for the rest in arrival order, evicting idle models (least
    /// recently used first) when full. Never evicts a model with a request in flight.
    mutating func place(now: UInt64) -> [PoolAction] {
        guard !isShuttingDown, !pending.isEmpty else { return [] }
        var actions = admitWaitersOfLiveModels()
        let needed = modelsNeedingSlots()
        var free = capacity - occupiedSlots
        // A stopping child returns its slot when it exits. A model that is itself stopping
        // waits for that exit and takes its own slot back; other stops serve the rest in order.
        let waitingForOwnStop = needed.filter { models[$0]?.state == .stopping }
        var freeing = models.values.count { $0.state == .stopping } - waitingForOwnStop.count
        for modelID in needed where models[modelID]?.state != .stopping {
            if free > 0 {
                free -= 1
                actions.append(start(modelID, now: now))
            } else if freeing > 0 {
                freeing -= 1
            } else if let victim = leastRecentlyUsedIdleModel() {
                actions.append(evict(victim, now: now))
            } else {
                break  // everything loaded is busy: wait for a release
            }
        }
        return actions
    }

    private mutating func admitWaitersOfLiveModels() -> [PoolAction] {
        var actions: [PoolAction] = []
        var stillWaiting: [Waiter] = []
        for waiter in pending {
            let modelID = waiter.spec.modelID
            switch models[modelID]?.state {
            case .ready:
                models[modelID]!.inFlight += 1
                actions.append(.grant(waiter: waiter.id, lease(for: models[modelID]!)))
            case .starting:
                models[modelID]!.loadWaiters.append(waiter.id)
            default:
                stillWaiting.append(waiter)
            }
        }
        pending = stillWaiting
        return actions
    }

    private func modelsNeedingSlots() -> [String] {
        var seen = Set<String>()
        return pending.map(\.spec.modelID).filter { seen.insert($0).inserted }
    }

    private func leastRecentlyUsedIdleModel() -> String? {
        models.values
            .filter { $0.state == .ready && $0.inFlight == 0 }
            .min { ($0.lastUsed, $0.spec.modelID) < ($1.lastUsed, $1.spec.modelID) }?
            .spec.modelID
    }

    /// Starts the model's child; every acquire waiting for it joins this one load.
    private mutating func start(_ modelID: String, now: UInt64) -> PoolAction {
        let waiters = pending.filter { $0.spec.modelID == modelID }
        pending.removeAll { $0.spec.modelID == modelID }
        let spec = waiters.last!.spec  // the newest request carries the newest configuration
        let instance = nextInstance
        nextInstance += 1
        let path = SocketPath.make(directory: configuration.runtimeDirectory, modelID: modelID, instance: instance)
        let model = Model(
            spec: spec, state: .starting, instance: instance, endpoint: .unixSocket(path: path),
            lastUsed: models[modelID]?.lastUsed ?? 0, loadWaiters: waiters.map(\.id), startedAt: now)
        models[modelID] = model
        return .start(spec: spec, instance: instance, endpoint: model.endpoint)
    }

    private mutating func evict(_ modelID: String, now: UInt64) -> PoolAction {
        models[modelID]!.state = .stopping
        models[modelID]!.stopReason = .lru
        models[modelID]!.stopRequestedAt = now
        return .stop(modelID: modelID, instance: models[modelID]!.instance)
    }
}
