/// How long a model stays loaded and what may unload it, from its configuration. It travels with
/// the model's `LaunchSpec`, so a changed configuration (SIGHUP) applies from the model's next start.
public struct ModelLifetime: Sendable, Hashable {
    /// Nanoseconds an idle model stays loaded before it is unloaded (`reason=ttl`); nil: for ever.
    public var idleTTL: UInt64?
    /// Never unloaded by the scheduler (not for room, not by a group, not by its TTL); only a
    /// crash, a failed health check or shutdown ends it.
    public var pinned: Bool
    /// The group the model belongs to, if any.
    public var group: ModelGroupRule?

    public init(idleTTL: UInt64? = nil, pinned: Bool = false, group: ModelGroupRule? = nil) {
        self.idleTTL = idleTTL
        self.pinned = pinned
        self.group = group
    }
}

/// A set of models that run together or exclude each other, as llama-swap's `groups`:
/// - `swap`: at most one member is loaded at a time; loading one first unloads the others;
/// - `exclusive`: loading a member first unloads every model that is not in the group
///   (ungrouped ones included), except pinned models and members of persistent groups;
/// - `persistent`: members are never unloaded for a model outside the group (neither by an
///   exclusive group nor to make room); their own group's rules and their TTL still apply.
/// Idle models are unloaded at once; for busy ones the load waits (within `queue_seconds`).
public struct ModelGroupRule: Sendable, Hashable {
    public var name: String
    public var swap: Bool
    public var exclusive: Bool
    public var persistent: Bool

    public init(name: String, swap: Bool = true, exclusive: Bool = true, persistent: Bool = false) {
        self.name = name
        self.swap = swap
        self.exclusive = exclusive
        self.persistent = persistent
    }
}
