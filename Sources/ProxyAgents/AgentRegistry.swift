/// The agents of one load of the plugins folder. Immutable: a reload builds a new one, and a
/// request keeps the registry it started with.
public struct AgentRegistry: Sendable {
    public let agents: [String: LoadedAgent]
    /// What the load could not use: files skipped, or 1 when the folder itself was refused or
    /// unreadable (for the plugin reload metric).
    public let problems: Int

    public init(agents: [LoadedAgent] = [], problems: Int = 0) {
        self.agents = Dictionary(agents.map { ($0.command, $0) }, uniquingKeysWith: { first, _ in first })
        self.problems = problems
    }

    public var commands: [String] { agents.keys.sorted() }
}
