/// A call of an agent: the message `/command arguments` as the last user message of a request.
public struct AgentInvocation: Sendable {
    /// The command, without its slash.
    public let command: String
    /// The rest of the message after the command and the spaces or tabs that follow it.
    public let arguments: String
    /// The whole request body as the client sent it.
    public let requestJSON: String
    /// The requested model ("" when the request names none).
    public let model: String
    /// The host's services: log, configuration, chat completions through the pool.
    public let host: PluginHost

    public init(command: String, arguments: String, requestJSON: String, model: String, host: PluginHost) {
        self.command = command
        self.arguments = arguments
        self.requestJSON = requestJSON
        self.model = model
        self.host = host
    }
}
