extension PoolScheduler {
    /// Serves whatever queued acquires can be served now: free slots on ready models, then room
    /// for the models that need loading, oldest waiter first, evicting idle models (least
    /// recently used first) when full. Never evicts a model with a request in flight or queued,
    /// nor a pinned one; a member of a group first has its group's rules applied (+groups).
    /// A model in its restart backoff fails its waiters at once instead of starting.
    mutating func place(now: UInt64) -> [PoolAction] {
        guard !isShuttingDown, queuedTotal > 0 else { return [] }
        var actions: [PoolAction] = []
        var withFreeSlots: [String] = []
        var needingRoom: [(arrival: Int, modelID: String)] = []
        for (modelID, model) in models where !model.queue.isEmpty {
            switch model.state {
            case .ready: if model.hasFreeSlot { withFreeSlots.append(modelID) }
            case .starting: continue  // served when the load ends
            case .stopped, .stopping: needingRoom.append((model.queue[0].arrival, modelID))
            }
        }
        for modelID in withFreeSlots {
            actions += serveQueue(of: modelID)
        }
        guard !needingRoom.isEmpty else { return actions }
        needingRoom.sort { ($0.arrival, $0.modelID) < ($1.arrival, $1.modelID) }
        var free = capacity - occupiedSlots
        // A stopping child returns its slot when it exits. A model that is itself stopping
        // waits for that exit and takes its own slot back; other stops serve the rest in order.
        let waitingForOwnStop = needingRoom.count { models[$0.modelID]!.state == .stopping }
        var freeing = models.values.count { $0.state == .stopping } - waitingForOwnStop
        for (_, modelID) in needingRoom where models[modelID]!.state == .stopped {
            let model = models[modelID]!
            if model.backoff.blocks(model.queue.last!.spec, now: now) {
                let error = model.backoff.refusal(modelID: modelID, now: now)
                actions += takeQueue(of: modelID).map { .fail(waiter: $0.id, error) }
            } else if let clearing = clearGroupConflicts(for: modelID, now: now) {
                actions += clearing
                break  // its group's rules unload other models first; it starts once they are gone
            } else if free > 0 {
                free -= 1
                actions += start(modelID, now: now)
            } else if freeing > 0 {
                freeing -= 1
            } else if let victim = leastRecentlyUsedIdleModel(for: model.queue.last!.spec) {
                actions.append(evict(victim, now: now))
            } else {
                break  // everything loaded is busy: wait for a release
            }
        }
        return actions
    }

    /// Grants free slots of a ready model to its queue, in order.
    mutating func serveQueue(of modelID: String) -> [PoolAction] {
        var actions: [PoolAction] = []
        while let model = models[modelID], model.state == .ready, model.hasFreeSlot, !model.queue.isEmpty {
            let waiter = takeFirstWaiter(of: modelID)
            models[modelID]!.inFlight += 1
            actions.append(.grant(waiter: waiter.id, lease(for: model)))
        }
        return actions
    }

    /// Idle models that may make room for `requester` (never a pinned one, see `mayBeUnloaded`).
    private func leastRecentlyUsedIdleModel(for requester: LaunchSpec) -> String? {
        models.values
            .filter { $0.isIdle && $0.mayBeUnloaded(for: requester) }
            .min { Self.evictsFirst($0, $1, for: requester) }?
            .spec.modelID
    }

    /// Starts the model's child; every acquire in its queue waits for this one load.
    mutating func start(_ modelID: String, now: UInt64) -> [PoolAction] {
        // The newest request carries the newest configuration (a preload has none: its record's).
        let spec = models[modelID]!.queue.last?.spec ?? models[modelID]!.spec
        let instance = nextInstance
        nextInstance += 1
        let path = SocketPath.make(directory: configuration.runtimeDirectory, modelID: modelID, instance: instance)
        var model = models[modelID]!
        model.spec = spec
        model.state = .starting
        model.instance = instance
        model.endpoint = .unixSocket(path: path)
        model.pid = nil
        model.inFlight = 0
        model.startedAt = now
        model.readyAt = 0
        model.stopReason = nil
        models[modelID] = model
        return [.start(spec: spec, instance: instance, endpoint: model.endpoint)] + pauseQueueClocks(of: modelID, now: now)
    }

    private mutating func evict(_ modelID: String, now: UInt64) -> PoolAction {
        models[modelID]!.state = .stopping
        models[modelID]!.stopReason = .lru
        models[modelID]!.stopRequestedAt = now
        return .stop(modelID: modelID, instance: models[modelID]!.instance)
    }
}
