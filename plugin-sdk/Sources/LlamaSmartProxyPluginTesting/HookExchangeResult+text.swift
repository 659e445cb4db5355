import ProxyJSON

extension HookExchangeResult {
    /// `choices[0].<member>.content` of a chat completion or chunk, if it is a string.
    static func text(in json: String, member: String) -> String? {
        guard case .object(let top)? = try? JSONDocumentParser.parse(Array(json.utf8)),
              case .array(let choices)? = top.first(where: { $0.0 == "choices" })?.1,
              case .object(let choice)? = choices.first,
              case .object(let message)? = choice.first(where: { $0.0 == member })?.1,
              case .string(let content)? = message.first(where: { $0.0 == "content" })?.1
        else { return nil }
        return content
    }
}
