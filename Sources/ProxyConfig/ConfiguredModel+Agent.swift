import LlamaSmartProxyPluginContract

extension ConfiguredModel {
    static let agentKeys = ["agent", "response_hook"]

    /// `agent`: the command of the agent every client request to this model goes to (with or
    /// without its slash), which then answers it or forwards it. `response_hook`: the name of the
    /// response hook (a plugin's) every answer to a client request to it goes through.
    static func decodeAgent(_ entry: ConfigObjectReader, into model: inout ConfiguredModel) throws(ConfigError) {
        if var command = try entry.string("agent", expected: "an agent's command, e.g. \"json-check\"") {
            if command.hasPrefix("/") { command.removeFirst() }
            guard AgentEntry.isValidCommand(command) else {
                throw ConfigError(keyPath: entry.keyPath("agent"), message: "an agent's command is lowercase letters, digits, - and _")
            }
            model.agent = command
        }
        if let hook = try entry.string("response_hook", expected: "a response hook's name, e.g. \"json-check\"") {
            guard AgentEntry.isValidCommand(hook) else {
                throw ConfigError(keyPath: entry.keyPath("response_hook"), message: "a response hook's name is lowercase letters, digits, - and _")
            }
            model.responseHook = hook
        }
    }
}
