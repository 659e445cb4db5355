/// The text of a model's answer as OpenAI shapes it: `choices[0].message.content` of a
/// `chat.completion`, `choices[0].delta.content` of a `chat.completion.chunk`.
public enum ChatAnswerText {
    public enum Shape: String, Sendable {
        /// A whole `chat.completion`.
        case message
        /// One `chat.completion.chunk` of a stream.
        case delta
    }

    /// The content string, or nil when there is none (not JSON, no choice, a chunk of a role or
    /// a finish reason only, a content that is not a string).
    public static func content(in json: [UInt8], shape: Shape) -> String? {
        guard case .object(let top)? = try? JSONDocumentParser.parse(json),
              case .array(let choices)? = top.first(where: { $0.0 == "choices" })?.1,
              case .object(let choice)? = choices.first,
              case .object(let message)? = choice.first(where: { $0.0 == shape.rawValue })?.1,
              case .string(let content)? = message.first(where: { $0.0 == "content" })?.1
        else { return nil }
        return content
    }
}
