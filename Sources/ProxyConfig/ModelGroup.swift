/// One entry of `groups`: models that run together or exclude each other, as llama-swap's groups.
public struct ModelGroup: Sendable, Equatable {
    public var name: String
    /// Model ids, each in at most one group.
    public var members: [String]
    /// At most one member loaded at a time.
    public var swap: Bool
    /// Loading a member first unloads every model outside the group.
    public var exclusive: Bool
    /// Members are never unloaded for a model outside the group.
    public var persistent: Bool

    public init(name: String, members: [String], swap: Bool = true, exclusive: Bool = true, persistent: Bool = false) {
        self.name = name
        self.members = members
        self.swap = swap
        self.exclusive = exclusive
        self.persistent = persistent
    }
}
