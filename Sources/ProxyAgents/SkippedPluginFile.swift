import LlamaSmartProxyPluginContract

/// A plugin file the last load of the folder could not use, kept so that `/v1/agents` shows it
/// and a request for one of its commands is told why instead of reaching the model.
public struct SkippedPluginFile: Sendable, Equatable {
    public let path: String
    public let reason: String
    /// The commands it would serve: those it tried to register, else those its earlier version
    /// served, else the one its file name suggests (`libReverse.so`: `reverse`).
    public let commands: [String]
    /// Whether `commands` came from the file name alone (it never got as far as registering).
    public let commandsGuessed: Bool

    public init(path: String, reason: String, commands: [String], commandsGuessed: Bool) {
        self.path = path
        self.reason = reason
        self.commands = commands
        self.commandsGuessed = commandsGuessed
    }

    /// The command a file name suggests: the name without `lib` and `.so`, in lower case, when
    /// that is a valid command.
    static func commandSuggested(byFileName name: String) -> String? {
        var stem = Substring(name)
        if stem.hasSuffix(".so") { stem = stem.dropLast(3) }
        if stem.hasPrefix("lib") { stem = stem.dropFirst(3) }
        let command = stem.lowercased()
        return AgentEntry.isValidCommand(command) ? command : nil
    }
}
