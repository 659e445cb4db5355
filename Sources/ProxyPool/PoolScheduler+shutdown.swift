extension PoolScheduler {
    /// Refuses new acquires and fails every one still waiting; requests in flight carry on.
    mutating func beginShutdown() -> [PoolAction] {
        isShuttingDown = true
        var actions = pending.map { PoolAction.fail(waiter: $0.id, shuttingDownError($0.spec.modelID)) }
        pending = []
        for modelID in models.keys {
            let waiters = models[modelID]!.loadWaiters
            actions += waiters.map { .fail(waiter: $0, shuttingDownError(modelID)) }
            models[modelID]!.loadWaiters = []
        }
        return actions
    }

    /// Stops every child: ready ones gracefully, loading ones at once.
    mutating func stopAll(now: UInt64) -> [PoolAction] {
        var actions: [PoolAction] = []
        for (modelID, model) in models.sorted(by: { $0.key < $1.key }) {
            switch model.state {
            case .ready: actions.append(.stop(modelID: modelID, instance: model.instance))
            case .starting: actions.append(.kill(modelID: modelID, instance: model.instance))
            case .stopping, .stopped: continue
            }
            models[modelID]!.state = .stopping
            models[modelID]!.stopReason = .shutdown
            models[modelID]!.stopRequestedAt = now
        }
        return actions
    }
}
