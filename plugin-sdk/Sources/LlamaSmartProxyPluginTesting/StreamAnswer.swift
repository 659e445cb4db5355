import ProxyJSON

/// What a scripted `stream_chat` (`host.streamChat`) answers: the events' JSON, one
/// `chat.completion.chunk` each, then the end: 200 after a whole stream, else a status and body.
public struct StreamAnswer: Sendable, Equatable {
    public let chunks: [String]
    public let status: Int
    public let body: String
    /// A pause before each chunk after the first, as a model writing takes time (0: none).
    public let secondsBetweenChunks: Double
    /// False: after its chunks the call stays open, as a model still writing, until the agent
    /// stops it (`cancelledStreams` counts that) or its reply ends (then it ends with 499).
    public let endsAfterChunks: Bool

    public init(chunks: [String], status: Int = 200, body: String = "", secondsBetweenChunks: Double = 0,
                endsAfterChunks: Bool = true) {
        self.chunks = chunks
        self.status = status
        self.body = body
        self.secondsBetweenChunks = secondsBetweenChunks
        self.endsAfterChunks = endsAfterChunks
    }

    /// A whole stream whose chunks add `texts` to the message, shaped like llama-server's.
    public static func deltas(_ texts: [String], model: String = "test-model", secondsBetweenChunks: Double = 0,
                              endsAfterChunks: Bool = true) -> StreamAnswer {
        StreamAnswer(chunks: texts.map { text in
            JSONValue.object([
                ("object", .string("chat.completion.chunk")), ("model", .string(model)),
                ("choices", .array([.object([("index", .int(0)), ("delta", .object([("content", .string(text))]))])])),
            ]).serializedString
        }, secondsBetweenChunks: secondsBetweenChunks, endsAfterChunks: endsAfterChunks)
    }

    /// No stream: an OpenAI-shaped error with `status`.
    public static func error(status: Int, message: String) -> StreamAnswer {
        StreamAnswer(chunks: [], status: status, body: CompletionAnswer.error(status: status, message: message).body)
    }

    /// What the default fake answers: no model is available.
    public static let noModel = StreamAnswer(chunks: [], status: CompletionAnswer.noModel.status, body: CompletionAnswer.noModel.body)
}
