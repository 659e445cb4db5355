/// The agents of one load of the plugins folder. Immutable: a reload builds a new one, and a
/// request keeps the registry it started with.
public struct AgentRegistry: Sendable {
    public let agents: [String: LoadedAgent]
    /// The files of the folder that could not be used, with why.
    public let skipped: [SkippedPluginFile]
    /// Why the folder itself was refused or could not be read (nothing was loaded from it).
    public let folderProblem: String?

    public init(agents: [LoadedAgent] = [], skipped: [SkippedPluginFile] = [], folderProblem: String? = nil) {
        self.agents = Dictionary(agents.map { ($0.command, $0) }, uniquingKeysWith: { first, _ in first })
        self.skipped = skipped
        self.folderProblem = folderProblem
    }

    public var commands: [String] { agents.keys.sorted() }

    /// What the load could not use: files skipped, or 1 when the folder itself was refused or
    /// unreadable (for the plugin reload metric).
    public var problems: Int { folderProblem == nil ? skipped.count : 1 }
}
