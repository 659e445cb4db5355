extension ChatRequestPatch {
    /// Bytes of a completion's `prompt` that stand for its conversation (its start).
    public static let promptStartBytes = 1024

    /// Where a request's conversation starts, as bytes that stay the same on every turn of it:
    /// the `messages` array from its `[` through the end of the first user message (the system
    /// prompt, if any, and the first question), found by the same reader as the last user
    /// message; for a request with a `prompt` string instead, its first `promptStartBytes`.
    /// nil: neither (an embedding, say, carries no conversation).
    public static func conversationStartRange(in body: [UInt8]) -> Range<Int>? {
        if let (_, list) = messageList(in: body) {
            guard let first = list.entries.first(where: { userMessage(in: body, at: $0.valueRange) != nil }) else { return nil }
            return list.openingBracket..<first.valueRange.upperBound
        }
        guard let top = try? JSONScanner.scanLayout(body), top.isObject,
              let prompt = top.members(named: "prompt").last?.valueRange,
              body[prompt.lowerBound] == UInt8(ascii: "\"")
        else { return nil }
        return prompt.lowerBound..<min(prompt.upperBound, prompt.lowerBound + promptStartBytes)
    }
}
