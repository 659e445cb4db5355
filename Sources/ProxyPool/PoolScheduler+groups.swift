/// Groups (see `ModelGroupRule`): before a member starts, the loaded models its group's rules
/// exclude must be gone. Idle ones are unloaded at once (`reason=group`); for busy ones, and
/// ones already stopping, the start waits (the waiter's queue clock runs). Pinned models and
/// members of other persistent groups are left alone. Ungrouped models follow no group rule.
extension PoolScheduler {
    /// The models (starting, ready or stopping) that must be gone before `spec`'s model starts.
    func groupConflicts(for spec: LaunchSpec) -> [String] {
        guard let group = spec.lifetime.group else { return [] }
        return models.values.filter { other in
            guard other.spec.modelID != spec.modelID, other.state != .stopped else { return false }
            if other.spec.lifetime.group?.name == group.name { return group.swap && other.isEvictable }
            return group.exclusive && other.mayBeUnloaded(for: spec)
        }.map(\.spec.modelID).sorted()
    }

    /// nil when no group rule stands in the way of starting `modelID`; otherwise the stops of the
    /// idle models that must go (none when all of them are busy or already stopping).
    mutating func clearGroupConflicts(for modelID: String, now: UInt64) -> [PoolAction]? {
        let spec = models[modelID]!.queue.last?.spec ?? models[modelID]!.spec
        let conflicts = groupConflicts(for: spec)
        guard !conflicts.isEmpty, let group = spec.lifetime.group else { return nil }
        var actions: [PoolAction] = []
        for other in conflicts where models[other]!.isIdle {
            actions.append(.log("group \(group.name): model=\(modelID) unloads model=\(other)"))
            models[other]!.state = .stopping
            models[other]!.stopReason = .group
            models[other]!.stopRequestedAt = now
            actions.append(.stop(modelID: other, instance: models[other]!.instance))
        }
        return actions
    }

    /// Eviction order for room: models outside the requester's group first (a group that runs
    /// together stays together), then the least recently used, then by id.
    static func evictsFirst(_ first: Model, _ second: Model, for requester: LaunchSpec) -> Bool {
        let group = requester.lifetime.group?.name
        let firstInGroup = group != nil && first.spec.lifetime.group?.name == group
        let secondInGroup = group != nil && second.spec.lifetime.group?.name == group
        if firstInGroup != secondInGroup { return secondInGroup }
        return (first.lastUsed, first.spec.modelID) < (second.lastUsed, second.spec.modelID)
    }
}
