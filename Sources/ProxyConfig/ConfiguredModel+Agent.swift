import LlamaSmartProxyPluginContract

extension ConfiguredModel {
    static let agentKeys = ["agent"]

    /// `agent`: the command of the agent every client request to this model goes to (with or
    /// without its slash), which then answers it, typically by calling the model itself and
    /// passing on or changing what it answers (a response hook).
    static func decodeAgent(_ entry: ConfigObjectReader, into model: inout ConfiguredModel) throws(ConfigError) {
        guard var command = try entry.string("agent", expected: "an agent's command, e.g. \"json-check\"") else { return }
        if command.hasPrefix("/") { command.removeFirst() }
        guard AgentEntry.isValidCommand(command) else {
            throw ConfigError(keyPath: entry.keyPath("agent"), message: "an agent's command is lowercase letters, digits, - and _")
        }
        model.agent = command
    }
}
