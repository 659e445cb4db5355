extension PoolScheduler {
    /// What the lifetime rules track about a model's current child; reset when a child becomes ready.
    struct LifetimeState: Sendable, Equatable {
        /// What the last request to finish asked for (`keep_alive`); nil: the configured TTL.
        var lastKeepAlive: KeepAlive?
        /// When the model, idle now, is unloaded for its TTL; nil: never (or not idle).
        var expiresAt: UInt64?
        /// The earliest idle timer armed and not yet fired, so a release arms no timer while
        /// one that fires early enough is pending.
        var idleTimerAt: UInt64?
        /// Health checks failed in a row, each while the child was idle.
        var healthFailures = 0
        /// Set while a health check runs: when it started.
        var probeStartedAt: UInt64?
    }
}

extension PoolScheduler.Model {
    /// Pinned models are never chosen to make room, nor unloaded by a group or their TTL.
    var isEvictable: Bool { !spec.lifetime.pinned }

    /// Loaded with nothing in flight and nobody queued: what its idle TTL counts.
    var isUnused: Bool { state == .ready && inFlight == 0 && queue.isEmpty }

    /// Whether this model may be unloaded to make room for (or by the group rules of) `requester`:
    /// not pinned, and not a member of a persistent group other than the requester's.
    func mayBeUnloaded(for requester: LaunchSpec) -> Bool {
        guard isEvictable else { return false }
        guard let group = spec.lifetime.group, group.persistent else { return true }
        return requester.lifetime.group?.name == group.name
    }
}
