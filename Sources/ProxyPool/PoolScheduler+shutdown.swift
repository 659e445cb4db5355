extension PoolScheduler {
    /// Refuses new acquires and fails every one still queued; requests in flight carry on.
    mutating func beginShutdown() -> [PoolAction] {
        isShuttingDown = true
        var actions: [PoolAction] = []
        for modelID in models.keys.sorted() {
            let error = shuttingDownError(modelID)
            actions += takeQueue(of: modelID).map { .fail(waiter: $0.id, error) }
        }
        return actions
    }

    /// Stops every child: ready ones gracefully (their slots are not saved: the runtime folder
    /// that would hold them is removed at exit), loading ones at once.
    mutating func stopAll(now: UInt64) -> [PoolAction] {
        var actions: [PoolAction] = []
        for (modelID, model) in models.sorted(by: { $0.key < $1.key }) {
            switch model.state {
            case .ready: actions.append(.stop(modelID: modelID, instance: model.instance))
            case .starting: actions.append(.kill(modelID: modelID, instance: model.instance))
            case .stopping where model.slotPhase == .saving:
                // Shutdown does not wait for a save under way: the runtime folder goes anyway.
                models[modelID]!.slotPhase = .none
                actions.append(.stop(modelID: modelID, instance: model.instance))
                continue
            case .stopping, .stopped: continue
            }
            models[modelID]!.state = .stopping
            models[modelID]!.stopReason = .shutdown
            models[modelID]!.stopRequestedAt = now
        }
        return actions
    }
}
