/// The agents of one load of the plugins folder. Immutable: a reload builds a new one, and a
/// request keeps the registry it started with.
public struct AgentRegistry: Sendable {
    public let agents: [String: LoadedAgent]

    public init(agents: [LoadedAgent] = []) {
        self.agents = Dictionary(agents.map { ($0.command, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public var commands: [String] { agents.keys.sorted() }
}
