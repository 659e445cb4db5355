import ProxyTime

extension ServerPool {
    /// Fast path: if the model is ready with a free slot and nobody queued, calls `completion`
    /// synchronously before returning (one lock, one lookup, no allocation). Otherwise the
    /// acquire joins the model's queue (starting or joining its load as needed) and `completion`
    /// is called later from another thread; the returned ticket can cancel it until then. A pool
    /// that is shutting down fails at once, synchronously. On success the lease counts as in
    /// flight until `release`.
    /// A model with replicas is served by one of them (see PoolScheduler+replicas): `affinity`,
    /// the hash of the request's conversation start (`AffinityKey`), picks the replica that
    /// holds it; nil: the least busy.
    @discardableResult
    public func acquire(_ spec: LaunchSpec, affinity: UInt64? = nil, completion: @escaping Completion) -> AcquireTicket {
        enum Outcome {
            case ready(ServerLease, effects: [Effect])
            case waiting(effects: [Effect], modelID: String, waiter: Int)
        }
        let outcome = state.withLock { state -> Outcome in
            var routed = (spec: spec, actions: [PoolAction]())
            if spec.replicas > 1 { routed = state.scheduler.routeToReplica(spec, affinity: affinity, now: MonotonicClock.now()) }
            if let lease = state.scheduler.acquireIfReady(routed.spec.modelID) {
                return .ready(lease, effects: routed.actions.isEmpty ? [] : resolve(routed.actions, in: &state))
            }
            let waiter = state.nextWaiter
            state.nextWaiter += 1
            state.completions[waiter] = completion
            let actions = routed.actions + state.scheduler.enqueue(routed.spec, waiter: waiter, now: MonotonicClock.now())
            return .waiting(effects: resolve(actions, in: &state), modelID: routed.spec.modelID, waiter: waiter)
        }
        switch outcome {
        case .ready(let lease, let effects):
            if !effects.isEmpty { perform(effects) }
            completion(.success(lease))
            return AcquireTicket(pool: nil, modelID: lease.modelID, waiter: 0)
        case .waiting(let effects, let modelID, let waiter):
            perform(effects)
            return AcquireTicket(pool: self, modelID: modelID, waiter: waiter)
        }
    }

    /// The request is over: its slot goes to the model's queue, or the model may be evicted again.
    public func release(_ lease: ServerLease) {
        release(lease, keepAlive: nil)
    }

    /// `release`, with the request's own `keep_alive`: the last request to finish decides how
    /// long the model stays loaded once idle (nil: its configured TTL).
    public func release(_ lease: ServerLease, keepAlive: KeepAlive?) {
        let (effects, shuttingDown) = state.withLock { state in
            let actions = state.scheduler.release(lease, keepAlive: keepAlive, now: MonotonicClock.now())
            return (resolve(actions, in: &state), state.scheduler.isShuttingDown)
        }
        perform(effects)
        if shuttingDown { shutdownProgress.signal() }
    }

    /// The lease's child refused a connection (nothing was sent): it is killed and the lease
    /// released; acquire again to be served by a fresh start.
    public func releaseUnreachable(_ lease: ServerLease) {
        perform(state.withLock { resolve($0.scheduler.unreachable(lease, now: MonotonicClock.now()), in: &$0) })
    }

    func cancel(_ modelID: String, waiter: Int) {
        perform(state.withLock { resolve($0.scheduler.cancel(modelID, waiter: waiter, now: MonotonicClock.now()), in: &$0) })
    }

    func queueTimerFired(_ modelID: String, waiter: Int) {
        perform(state.withLock { state in
            state.queueTimers[waiter] = nil
            return resolve(state.scheduler.queueTimedOut(modelID, waiter: waiter, now: MonotonicClock.now()), in: &state)
        })
    }
}
