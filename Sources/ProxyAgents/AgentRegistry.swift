/// The agents and response hooks of one load of the plugins folder. Immutable: a reload builds
/// a new one, and a request keeps the registry it started with.
public struct AgentRegistry: Sendable {
    public let agents: [String: LoadedAgent]
    public let hooks: [String: LoadedResponseHook]
    /// The files of the folder that could not be used, with why.
    public let skipped: [SkippedPluginFile]
    /// Why the folder itself was refused or could not be read (nothing was loaded from it).
    public let folderProblem: String?

    public init(agents: [LoadedAgent] = [], hooks: [LoadedResponseHook] = [], skipped: [SkippedPluginFile] = [],
                folderProblem: String? = nil) {
        self.agents = Dictionary(agents.map { ($0.command, $0) }, uniquingKeysWith: { first, _ in first })
        self.hooks = Dictionary(hooks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.skipped = skipped
        self.folderProblem = folderProblem
    }

    public var commands: [String] { agents.keys.sorted() }

    /// The loaded files, by path: what each of them registered.
    public var libraries: [String: PluginLibrary] {
        var byPath: [String: PluginLibrary] = [:]
        for agent in agents.values { byPath[agent.plugin.path, default: PluginLibrary(file: agent.plugin)].agents.append(agent) }
        for hook in hooks.values { byPath[hook.plugin.path, default: PluginLibrary(file: hook.plugin)].hooks.append(hook) }
        return byPath
    }

    /// What the load could not use: files skipped, or 1 when the folder itself was refused or
    /// unreadable (for the plugin reload metric).
    public var problems: Int { folderProblem == nil ? skipped.count : 1 }
}

/// What one plugin file registered.
public struct PluginLibrary: Sendable {
    public let file: PluginFile
    public var agents: [LoadedAgent] = []
    public var hooks: [LoadedResponseHook] = []

    /// The names it holds: its commands and its hooks'.
    var names: PluginNames { PluginNames(commands: agents.map(\.command), hooks: hooks.map(\.name)) }
}

/// Commands and hook names taken, each by a plugin path (two namespaces).
public struct PluginNames: Sendable, Equatable {
    public var commands: [String]
    public var hooks: [String]
}
