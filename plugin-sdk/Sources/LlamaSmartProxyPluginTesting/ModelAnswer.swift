/// What the model answers one round of an exchange that `PluginTestHost.runExchange` drives.
public enum ModelAnswer: Sendable, Equatable {
    /// A 200 `chat.completion` body, the answer to a request that did not stream.
    case whole(String)
    /// A 200 event stream of these events' JSON (one `chat.completion.chunk` each); `complete`
    /// false plays a stream cut before its end.
    case stream([String], complete: Bool = true)
    /// An answer with another status (an error's body, say): the client gets it as it came.
    case status(Int, body: String)

    /// A 200 chat completion whose message says `content`, shaped like llama-server's.
    public static func reply(_ content: String, model: String = "test-model") -> ModelAnswer {
        .whole(CompletionAnswer.reply(content, model: model).body)
    }

    /// A whole stream whose chunks add `texts` to the message, shaped like llama-server's.
    public static func deltas(_ texts: [String], model: String = "test-model") -> ModelAnswer {
        .stream(StreamAnswer.deltas(texts, model: model).chunks)
    }
}
