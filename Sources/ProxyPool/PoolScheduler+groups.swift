/// Groups (see `ModelGroupRule`): before a member starts, the loaded models its group's rules
/// exclude must be gone. Idle ones are unloaded at once (`reason=group`); for busy ones, and
/// ones already stopping, the member waits (its queue clock runs), and models that would stand
/// in its way do not start before it. Past the starvation bound (`maxWait`) the busy ones drain
/// (take no new requests) so that they become idle. Pinned models and members of other
/// persistent groups are left alone. Ungrouped models follow no group rule.
extension PoolScheduler {
    /// Whether `other`, loaded, must be gone before `requester`'s model starts.
    func standsInTheWay(_ other: Model, of requester: LaunchSpec) -> Bool {
        guard let group = requester.lifetime.group, other.spec.modelName != requester.modelName else { return false }
        if other.spec.lifetime.group?.name == group.name { return group.swap && other.isEvictable }
        return group.exclusive && other.mayBeUnloaded(for: requester)
    }

    /// The models (starting, ready or stopping) that must be gone before `spec`'s model starts.
    func groupConflicts(for spec: LaunchSpec) -> [String] {
        models.values.filter { $0.state != .stopped && standsInTheWay($0, of: spec) }.map(\.spec.modelID).sorted()
    }

    /// Applies the group rules to one model waiting for room, in placement order; false when it
    /// must wait (for models it excludes to go, or because it would stand in the way of a member
    /// placed before it in this pass, whose spec is in `waits`).
    mutating func passesGroupRules(_ modelID: String, waits: inout [LaunchSpec], now: UInt64, actions: inout [PoolAction]) -> Bool {
        var model = models[modelID]!
        let spec = model.queue.last!.spec  // the newest request carries the newest configuration
        model.spec = spec
        if waits.contains(where: { standsInTheWay(model, of: $0) }) { return false }
        guard model.state == .stopped, let group = spec.lifetime.group else { return true }
        let conflicts = groupConflicts(for: spec)
        guard !conflicts.isEmpty else { return true }
        waits.append(spec)
        let starving = isStarving(modelID, now: now)
        for other in conflicts {
            let blocker = models[other]!
            // Past the bound, one with requests queued but none in flight goes too (they wait for room).
            if blocker.isIdle || (starving && blocker.state == .ready && blocker.inFlight == 0) {
                actions.append(.log("group \(group.name): model=\(modelID) unloads model=\(other)"))
                let stop = stopChild(other, reason: .group, now: now)
                models[other]!.isDraining = false
                models[other]!.roomLostAt = now
                models[modelID]!.hasClaim = true
                actions += stop
            } else if starving && blocker.state == .ready {
                models[other]!.isDraining = true
                anyDraining = true
            }
        }
        return false
    }

    /// The idle models to evict to make room for `spec` (never pinned ones, nor members of other
    /// persistent groups, nor those still within their swap hold for a model waiting since
    /// `waitingSince`): outside its group if that is enough (a group that runs together stays
    /// together), else any.
    func chooseEvictable(
        for spec: LaunchSpec, need: UInt64, on allowed: [PoolDevice], ledger: PlacementLedger, waitingSince: UInt64, now: UInt64
    ) -> (device: String, victims: [String])? {
        let admits = { (model: Model) in
            model.isIdle && model.mayBeUnloaded(for: spec) && evictable(model, forWaitingSince: waitingSince) <= now
        }
        if let group = spec.lifetime.group?.name,
           let outside = chooseVictims(for: need, on: allowed, ledger: ledger, now: now, among: {
               admits($0) && $0.spec.lifetime.group?.name != group
           }) {
            return outside
        }
        return chooseVictims(for: need, on: allowed, ledger: ledger, now: now, among: admits)
    }
}
