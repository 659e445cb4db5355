import ProxyTime
import Dispatch

extension ServerPool {
    /// Fast path: if the model is ready, calls `completion` synchronously before returning
    /// (one lock, one lookup). Otherwise starts or joins the load and calls `completion` later
    /// from another thread. A pool that is shutting down fails at once, synchronously.
    /// On success the lease counts as in flight until `release`.
    public func acquire(_ spec: LaunchSpec, completion: @escaping Completion) {
        enum Outcome {
            case ready(ServerLease)
            case waiting(effects: [Effect], queued: Int?)
        }
        let outcome = state.withLock { state -> Outcome in
            if let lease = state.scheduler.acquireIfReady(spec.modelID) { return .ready(lease) }
            let waiter = state.nextWaiter
            state.nextWaiter += 1
            state.completions[waiter] = completion
            let actions = state.scheduler.enqueue(spec, waiter: waiter, now: MonotonicClock.now())
            let queued = state.scheduler.pending.contains { $0.id == waiter } ? waiter : nil
            return .waiting(effects: resolve(actions, in: &state), queued: queued)
        }
        switch outcome {
        case .ready(let lease):
            completion(.success(lease))
        case .waiting(let effects, let queued):
            perform(effects)
            if let queued, configuration.queueTimeout > 0 {
                DispatchQueue.global().asyncAfter(deadline: .now() + configuration.queueTimeout) { [weak self] in
                    self?.queueTimedOut(queued)
                }
            }
        }
    }

    /// The request is over: its model may be evicted again, and waiters get another look.
    public func release(_ lease: ServerLease) {
        let (effects, shuttingDown) = state.withLock { state in
            let actions = state.scheduler.release(lease, now: MonotonicClock.now())
            return (resolve(actions, in: &state), state.scheduler.isShuttingDown)
        }
        perform(effects)
        if shuttingDown { shutdownProgress.signal() }
    }

    private func queueTimedOut(_ waiter: Int) {
        perform(state.withLock { resolve($0.scheduler.queueTimedOut(waiter: waiter), in: &$0) })
    }
}
