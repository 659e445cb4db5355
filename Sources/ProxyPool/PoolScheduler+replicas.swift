/// Replicas: a model with `replicas: N` runs as N models to the rest of the scheduler (`<id>`,
/// `<id>#2` … `<id>#N`), each placed, counted against `max_loaded`, evicted and restarted by the
/// same rules. Here each acquire is given its replica, before it takes the usual path:
///
/// - The candidates, best first: for a conversation (an affinity key) its walk on the
///   `AffinityRing` minus the replicas at the load bound; for a request with no conversation the
///   replicas by load, least busy first; with `round_robin`, the next in turn. Replicas that are
///   stopping, draining or in their restart backoff are no candidates (a dead replica's
///   conversations move to the next on the ring).
/// - The first candidate that is ready with a free slot takes the request; if none is, the first
///   usable replica past the bound that is (a load costs more than an uneven spread); else the
///   first candidate (its load starts, or the request joins its queue).
/// - When the first candidate is not loaded but another one serves, the first is started
///   anyway if that needs no room (as a preload would be): the conversations it owns come back
///   to it once it is ready.
extension PoolScheduler {
    /// The replica's spec for this acquire, and any start it causes. A model without replicas
    /// comes back as it is.
    mutating func routeToReplica(_ spec: LaunchSpec, affinity: UInt64?, now: UInt64) -> (spec: LaunchSpec, actions: [PoolAction]) {
        guard spec.replicas > 1, !isShuttingDown else { return (spec, []) }
        let replicas = (1...spec.replicas).map { spec.replica($0) }
        let records = replicas.map { models[$0.modelID] }
        let loads = records.map { ($0?.inFlight ?? 0) + ($0?.queue.count ?? 0) }
        let usable = replicas.indices.map { index in records[index].map { isUsable($0, spec: replicas[index], now: now) } ?? true }
        let candidates = replicaCandidates(spec, affinity: affinity, loads: loads, usable: usable)
        guard let first = candidates.first else {
            // Every replica is down: the first one's own refusal (its backoff, say) answers.
            return (replicas[0], [])
        }
        // Waiting for a load costs more than a replica past the bound that has a free slot now.
        let serves = { (index: Int) in records[index].map { $0.state == .ready && $0.hasFreeSlot } ?? false }
        let walk = candidates + replicaOrder(spec, affinity: affinity, loads: loads).filter { usable[$0] && !candidates.contains($0) }
        let chosen = candidates.first(where: serves) ?? walk.first(where: serves) ?? first
        var actions: [PoolAction] = []
        if chosen != first, (records[first]?.state ?? .stopped) == .stopped, preloadRefusal(replicas[first], now: now) == nil {
            actions.append(.log("replica warm start model=\(replicas[first].modelID): its conversations go to model=\(replicas[chosen].modelID) until it is ready"))
            ensureRecord(for: replicas[first])
            actions += startWithoutWaiters(replicas[first], now: now)
        }
        return (replicas[chosen], actions)
    }

    /// All replica indices in the order the key's walk (or the least-busy order) meets them.
    private mutating func replicaOrder(_ spec: LaunchSpec, affinity: UInt64?, loads: [Int]) -> [Int] {
        guard configuration.replicaRouting == .affinity, let affinity else {
            return loads.indices.sorted { (loads[$0], $0) < (loads[$1], $1) }
        }
        return ring(of: spec.replicas).order(for: affinity)
    }

    /// Replica indices (0-based), best first.
    private mutating func replicaCandidates(_ spec: LaunchSpec, affinity: UInt64?, loads: [Int], usable: [Bool]) -> [Int] {
        switch configuration.replicaRouting {
        case .roundRobin:
            let turn = replicaTurns[spec.modelName, default: 0]
            replicaTurns[spec.modelName] = (turn + 1) % spec.replicas
            return (0..<spec.replicas).map { (turn + $0) % spec.replicas }.filter { usable[$0] }
        case .affinity:
            guard let affinity else {
                return loads.indices.filter { usable[$0] }.sorted { (loads[$0], $0) < (loads[$1], $1) }
            }
            return ring(of: spec.replicas).candidates(
                for: affinity, loads: loads, epsilon: configuration.replicaLoadSlack, eligible: { usable[$0] })
        }
    }

    private mutating func ring(of replicas: Int) -> AffinityRing {
        if let ring = affinityRings[replicas] { return ring }
        let ring = AffinityRing(replicas: replicas)
        affinityRings[replicas] = ring
        return ring
    }

    /// A replica that may take requests now or after its load: not on its way out, not in its
    /// restart backoff.
    private func isUsable(_ model: Model, spec: LaunchSpec, now: UInt64) -> Bool {
        switch model.state {
        case .stopping: false
        case .ready: !model.isDraining
        case .starting: true
        case .stopped: !model.backoff.blocks(spec, now: now)
        }
    }
}
