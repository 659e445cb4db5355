/// An agent's patch of a chat completion request: top-level changes (`TopLevelPatch`), plus one
/// reserved member, `lastUserTextKey`, whose string value becomes the text of the last user
/// message. That one string is replaced in place too, so the messages keep every other byte.
public enum ChatRequestPatch {
    /// No OpenAI field starts with `$`, so this name cannot collide with a real one.
    public static let lastUserTextKey = "$last_user_text"

    /// Reserved too: its string value becomes the system prompt (see `applySystemPrompt`).
    public static let systemPromptKey = "$system_prompt"

    /// Applies the top-level changes first, then the new text, then the system prompt.
    public static func apply(_ patch: [UInt8], to body: [UInt8]) throws(TopLevelPatchError) -> [UInt8] {
        var changes = try TopLevelPatch.changes(in: patch)
        let newText = changes.last { $0.name == lastUserTextKey }
        let systemPrompt = changes.last { $0.name == systemPromptKey }
        changes.removeAll { $0.name == lastUserTextKey || $0.name == systemPromptKey }
        var patched = try TopLevelPatch.apply(changes, to: body)
        if let newText { patched = try applyLastUserText(newText.value, to: patched) }
        if let systemPrompt { patched = try applySystemPrompt(systemPrompt.value, to: patched) }
        return patched
    }

    /// The first message's content when it is a system message, else a new system message
    /// inserted first; the other messages keep every byte.
    static func applySystemPrompt(_ value: [UInt8]?, to body: [UInt8]) throws(TopLevelPatchError) -> [UInt8] {
        guard let text = value, text.first == UInt8(ascii: "\"") else {
            throw TopLevelPatchError("\(systemPromptKey) must be a string")
        }
        guard let (messages, list) = messageList(in: body)
        else { throw TopLevelPatchError("the request has no messages to set a system prompt in") }
        if let first = list.entries.first,
           let message = JSONScanner.scanLayout(body, in: first.valueRange), message.isObject,
           let role = message.members(named: "role").last, string(in: body, at: role.valueRange) == "system",
           let content = message.members(named: "content").last {
            return ByteEdit.apply([ByteEdit(range: content.valueRange, replacement: text)], to: body)
        }
        var inserted = Array(#"{"role":"system","content":"#.utf8) + text + [UInt8(ascii: "}")]
        if !list.entries.isEmpty { inserted.append(UInt8(ascii: ",")) }
        let afterBracket = messages.valueRange.lowerBound + 1
        return ByteEdit.apply([ByteEdit(range: afterBracket..<afterBracket, replacement: inserted)], to: body)
    }

    private static func applyLastUserText(_ value: [UInt8]?, to patched: [UInt8]) throws(TopLevelPatchError) -> [UInt8] {
        guard let text = value, text.first == UInt8(ascii: "\"") else {
            throw TopLevelPatchError("\(lastUserTextKey) must be a string")
        }
        guard let range = lastUserTextRange(in: patched) else {
            throw TopLevelPatchError("the request has no user message text to replace")
        }
        // The usual new text is the old one minus its command: then only the command's bytes
        // go, and the prompt keeps the client's own spelling (escapes and all).
        if let newValue = string(in: text, at: 0..<text.count),
           let keptFrom = JSONStringDecoding.rawStart(ofSuffix: Array(newValue.utf8), inStringAt: range, of: patched) {
            return ByteEdit.apply([ByteEdit(range: (range.lowerBound + 1)..<keptFrom, replacement: [])], to: patched)
        }
        return ByteEdit.apply([ByteEdit(range: range, replacement: text)], to: patched)
    }

    /// The string token (quotes included) holding the text of the last `"role": "user"` message:
    /// its `content` when that is a string, else the first `{"type": "text"}` part's `text`.
    public static func lastUserTextRange(in body: [UInt8]) -> Range<Int>? {
        guard let (_, list) = messageList(in: body) else { return nil }
        for element in list.entries.reversed() {
            guard let message = userMessage(in: body, at: element.valueRange) else { continue }
            guard let content = message.members(named: "content").last?.valueRange else { return nil }
            if body[content.lowerBound] == UInt8(ascii: "\"") { return content }
            return firstTextPart(in: body, content: content)
        }
        return nil
    }

    private static func firstTextPart(in body: [UInt8], content: Range<Int>) -> Range<Int>? {
        guard let parts = JSONScanner.scanLayout(body, in: content), !parts.isObject else { return nil }
        for element in parts.entries {
            guard let part = JSONScanner.scanLayout(body, in: element.valueRange), part.isObject,
                  let type = part.members(named: "type").last, string(in: body, at: type.valueRange) == "text"
            else { continue }
            guard let text = part.members(named: "text").last?.valueRange,
                  body[text.lowerBound] == UInt8(ascii: "\"") else { return nil }
            return text
        }
        return nil
    }

    /// The top-level `messages` member (the last, if repeated) and the layout of its array: the
    /// one place a request's messages are found.
    static func messageList(in body: [UInt8]) -> (member: TopLevelLayout.Entry, list: TopLevelLayout)? {
        guard let top = try? JSONScanner.scanLayout(body), top.isObject,
              let messages = top.members(named: "messages").last,
              let list = JSONScanner.scanLayout(body, in: messages.valueRange), !list.isObject
        else { return nil }
        return (messages, list)
    }

    /// The layout of the message at `range` when it is an object with `"role": "user"`.
    static func userMessage(in body: [UInt8], at range: Range<Int>) -> TopLevelLayout? {
        guard let message = JSONScanner.scanLayout(body, in: range), message.isObject,
              let role = message.members(named: "role").last,
              string(in: body, at: role.valueRange) == "user"
        else { return nil }
        return message
    }

    static func string(in body: [UInt8], at range: Range<Int>) -> String? {
        guard case .string(let value)? = try? JSONDocumentParser.parse(Array(body[range])) else { return nil }
        return value
    }
}
