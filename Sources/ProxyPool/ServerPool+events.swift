import ProxyTime

extension ServerPool {
    /// After each scheduler step (from `resolve`, under the lock): what changed since the last
    /// step goes to the observer, in order. Nothing is compared while nobody observes.
    func publishChanges(in state: inout State) {
        guard let observer, observer.isObserving else { return }
        let now = state.scheduler.eventSnapshots()
        let events = PoolEvent.changes(from: state.published, to: now)
        state.published = now
        if !events.isEmpty { observer.poolChanged(events) }
    }

    /// Runs `body` under the pool's lock with every model's status and history: an observer
    /// that starts listening here (a new `/events` client) hears every change after it.
    public func withStatuses<T>(_ body: ([String: ModelStatus], [String: ModelHistory]) -> T) -> T {
        state.withLock { state in
            state.published = state.scheduler.eventSnapshots()
            return body(state.scheduler.statuses(), state.scheduler.histories())
        }
    }

    /// Every model's status and history, read together.
    public func report() -> ([String: ModelStatus], [String: ModelHistory]) {
        state.withLock { ($0.scheduler.statuses(), $0.scheduler.histories()) }
    }

    /// Unloads the model (see PoolScheduler+unload); returns its state before (nil: never loaded).
    @discardableResult
    public func unload(_ modelID: String) -> ModelState? {
        var before: ModelState?
        perform(state.withLock { state in
            before = state.scheduler.models[modelID]?.state
            return resolve(state.scheduler.unload(modelID, now: MonotonicClock.now()), in: &state)
        })
        return before
    }

    /// Unloads every model that is loaded or loading; returns their names.
    @discardableResult
    public func unloadAll() -> [String] {
        var names: [String] = []
        perform(state.withLock { state in
            names = state.scheduler.models.filter { $0.value.state != .stopped }.keys.sorted()
            return resolve(state.scheduler.unloadAll(now: MonotonicClock.now()), in: &state)
        })
        return names
    }
}
