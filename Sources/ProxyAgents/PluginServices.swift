/// What the host offers plugins beyond registration, supplied by whoever loads them.
public struct PluginServices: Sendable {
    /// Writes one log line.
    public var log: @Sendable (String) -> Void
    /// The configuration section (JSON text) for a plugin, by its name.
    public var configJSON: @Sendable (String) -> String
    /// Runs a chat completion request through the pool: request JSON in, (status, body) out.
    public var completeChat: @Sendable (String, @escaping @Sendable (Int, String) -> Void) -> Void
    /// Every agent loaded now, as a JSON array (for /help).
    public var agentListJSON: @Sendable () -> String
    /// The reply functions (`send_delta`, `finish_reply`) and streamed calls (`stream_chat`,
    /// `cancel_chat`) of the host API.
    public var replies: AgentReplyServices = .none

    public init(
        log: @escaping @Sendable (String) -> Void,
        configJSON: @escaping @Sendable (String) -> String = { _ in "{}" },
        completeChat: @escaping @Sendable (String, @escaping @Sendable (Int, String) -> Void) -> Void = Self.noPool,
        agentListJSON: @escaping @Sendable () -> String = { "[]" }
    ) {
        self.log = log
        self.configJSON = configJSON
        self.completeChat = completeChat
        self.agentListJSON = agentListJSON
    }

    /// Until plugins are wired into the request path there is no pool to call.
    public static let noPool: @Sendable (String, @escaping @Sendable (Int, String) -> Void) -> Void = { _, completion in
        completion(503, #"{"error":{"message":"no model pool is available to plugins","type":"server_error"}}"#)
    }
}
