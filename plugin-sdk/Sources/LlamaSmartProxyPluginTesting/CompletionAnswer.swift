import ProxyJSON

/// What a scripted `completeChat` answers: an HTTP status (0: no response) and a body.
public struct CompletionAnswer: Sendable, Equatable {
    public let status: Int
    public let body: String

    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }

    /// A 200 chat completion whose one choice says `content`, shaped like llama-server's.
    public static func reply(_ content: String, model: String = "test-model") -> CompletionAnswer {
        let body = JSONValue.object([
            ("object", .string("chat.completion")), ("model", .string(model)),
            ("choices", .array([.object([
                ("index", .int(0)), ("finish_reason", .string("stop")),
                ("message", .object([("role", .string("assistant")), ("content", .string(content))])),
            ])])),
        ])
        return CompletionAnswer(status: 200, body: body.serializedString)
    }

    /// An OpenAI-shaped error with `status`.
    public static func error(status: Int, message: String) -> CompletionAnswer {
        let body = JSONValue.object([("error", .object([("message", .string(message)), ("type", .string("server_error"))]))])
        return CompletionAnswer(status: status, body: body.serializedString)
    }

    /// What the default fake answers: no model is available.
    public static let noModel = error(status: 503, message: "no model is available in the plugin test host")
}
