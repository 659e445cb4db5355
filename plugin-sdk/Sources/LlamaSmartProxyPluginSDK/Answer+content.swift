import ProxyJSON

extension Answer {
    /// The text this part adds to the answer's message: `choices[0].message.content` of a whole
    /// `chat.completion`, `choices[0].delta.content` of a `chat.completion.chunk`; nil when it has
    /// none (a chunk of a role or a finish reason only, `.end`, `.closed`).
    public var content: String? {
        let member: String
        switch part {
        case .whole: member = "message"
        case .chunk: member = "delta"
        case .end, .closed: return nil
        }
        guard case .object(let top)? = try? JSONDocumentParser.parse(Array(data.utf8)),
              case .array(let choices)? = top.first(where: { $0.0 == "choices" })?.1,
              case .object(let choice)? = choices.first,
              case .object(let message)? = choice.first(where: { $0.0 == member })?.1,
              case .string(let content)? = message.first(where: { $0.0 == "content" })?.1
        else { return nil }
        return content
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
