import ProxyJSON

extension Answer {
    /// The text this part adds to the answer's message: `choices[0].message.content` of a whole
    /// `chat.completion`, `choices[0].delta.content` of a `chat.completion.chunk`; nil when it has
    /// none (a chunk of a role or a finish reason only, `.end`, `.closed`).
    public var content: String? {
        switch part {
        case .whole: ChatAnswerText.content(in: Array(data.utf8), shape: .message)
        case .chunk: ChatAnswerText.content(in: Array(data.utf8), shape: .delta)
        case .end, .closed: nil
        }
    }

    /// This round's request with `messages` appended to its `messages` (for `.retry`): e.g.
    /// `.object(["role": .string("user"), "content": .string("Shorter, please.")])`. Every other
    /// byte of the request stays as it was (the proxy's patcher sets `messages` in place). Nil
    /// when the request has no `messages` array or a fragment is not JSON.
    public func requestAppending(messages: [JSONFragment]) -> String? {
        let body = Array(requestJSON.utf8)
        guard case .object(let members)? = try? JSONDocumentParser.parse(body),
              case .array(let existing)? = members.last(where: { $0.0 == "messages" })?.1
        else { return nil }
        let all = existing.map(\.serializedString) + messages.map(\.json)
        let patch = "{\"messages\":[" + all.joined(separator: ",") + "]}"
        guard let retried = try? ChatRequestPatch.apply(Array(patch.utf8), to: body) else { return nil }
        return String(decoding: retried, as: UTF8.self)
    }
}
