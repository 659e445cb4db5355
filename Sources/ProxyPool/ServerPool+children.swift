import ProxyTime
extension ServerPool {
    /// Feeds a child's event to the scheduler. Runs on that child's threads.
    func childReported(_ event: ChildEvent, modelID: String, instance: Int) {
        let (effects, shuttingDown) = state.withLock { state in
            let now = MonotonicClock.now()
            let actions: [PoolAction]
            switch event {
            case .spawned(let pid, let cacheKey):
                state.scheduler.childSpawned(modelID, instance: instance, pid: pid, cacheKey: cacheKey)
                actions = []
            case .ready:
                actions = state.scheduler.childReady(modelID, instance: instance, now: now)
            case .measured(let bytes):
                actions = state.scheduler.childMeasured(modelID, instance: instance, bytes: bytes, now: now)
            case .reported(let bytes):
                actions = state.scheduler.childReported(modelID, instance: instance, bytes: bytes, now: now)
            case .loadTimedOut(let logTail):
                actions = state.scheduler.loadTimedOut(modelID, instance: instance, logTail: logTail, now: now)
            case .exited(let exit):
                state.children[instance] = nil
                actions = state.scheduler.childExited(modelID, instance: instance, exit: exit, now: now)
            }
            return (resolve(actions, in: &state), state.scheduler.isShuttingDown)
        }
        switch event {
        case .spawned(let pid, _): childLog(.started(modelID: modelID, pid: pid))
        case .exited(let exit): childLog(.exited(modelID: modelID, description: exit.description))
        default: break
        }
        perform(effects)
        if shuttingDown, case .exited = event { shutdownProgress.signal() }
    }
}
