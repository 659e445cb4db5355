/// Fuzzes the request patcher (`TopLevelPatch`, `ChatRequestPatch.apply`). The input is a patch,
/// one NUL byte, then the document (no NUL: the whole input is the document and the patch is a
/// fixed one). Invariants, whenever the document is a JSON object:
/// - a patch object without the reserved members always applies, and every member of the output
///   is exactly the expected one: the document's members in order, byte for byte, except that a
///   patched name has the patch's value bytes and a removed name is gone; new names follow at the
///   end in the patch's order;
/// - whatever applies is still JSON (for the scanner and, if both inputs were strict, the parser);
/// - `$last_user_text` changes only the last user message's text token, which then reads as the
///   new text; `$system_prompt` leaves the first message a system message with exactly that content.
func fuzzOne(_ input: [UInt8]) {
    let patch: [UInt8]
    let document: [UInt8]
    if let separator = input.firstIndex(of: 0) {
        patch = Array(input[..<separator])
        document = Array(input[(separator + 1)...])
    } else {
        patch = Array(#"{"model":"m","stream":null,"$last_user_text":"hi"}"#.utf8)
        document = input
    }
    guard let layout = try? JSONScanner.scanLayout(document), layout.isObject else {
        expectRefusal(patch, document)
        return
    }
    guard let changes = try? TopLevelPatch.changes(in: patch) else {
        expectRefusal(patch, document)
        return
    }
    let reserved: Set = [ChatRequestPatch.lastUserTextKey, ChatRequestPatch.systemPromptKey]
    let topLevel = changes.filter { !reserved.contains($0.name) }
    let intermediate: [UInt8]
    do {
        intermediate = try TopLevelPatch.apply(topLevel, to: document)
    } catch {
        invariant(false, "\(topLevel) did not apply to \(shown(document)): \(error)")
        return
    }
    checkMembers(of: intermediate, patched: topLevel, from: layout, of: document)
    checkStillJSON(intermediate, from: [patch, document])

    let result = Result { () throws(TopLevelPatchError) -> [UInt8] in try ChatRequestPatch.apply(patch, to: document) }
    let newText = changes.last { $0.name == ChatRequestPatch.lastUserTextKey }
    let systemPrompt = changes.last { $0.name == ChatRequestPatch.systemPromptKey }
    guard newText != nil || systemPrompt != nil else {
        invariant(result == .success(intermediate), "ChatRequestPatch and TopLevelPatch differ on \(shown(patch))")
        return
    }
    guard case .success(let output) = result else { return }
    checkStillJSON(output, from: [patch, document])
    var afterText = intermediate
    if let newText {
        afterText = checkLastUserText(newText.value, in: intermediate, output: output, systemPromptFollows: systemPrompt != nil)
    }
    if let systemPrompt { checkSystemPrompt(systemPrompt.value, in: output, after: afterText) }
}

/// Neither patcher may accept a document that is not an object or a patch that is not one.
func expectRefusal(_ patch: [UInt8], _ document: [UInt8]) {
    let result = Result { () throws(TopLevelPatchError) -> [UInt8] in try ChatRequestPatch.apply(patch, to: document) }
    guard case .success(let output) = result else { return }
    invariant(false, "applied \(shown(patch)) to \(shown(document)), giving \(shown(output))")
}

func checkMembers(of output: [UInt8], patched changes: [TopLevelPatch.Change], from layout: TopLevelLayout, of document: [UInt8]) {
    var expected: [(String?, [UInt8])] = []
    for entry in layout.entries {
        guard let change = changes.last(where: { $0.name == entry.name }) else {
            expected.append((entry.name, Array(document[entry.valueRange])))
            continue
        }
        if let value = change.value { expected.append((entry.name, value)) }
    }
    for change in changes where !layout.entries.contains(where: { $0.name == change.name }) {
        if let value = change.value { expected.append((change.name, value)) }
    }
    guard let patched = try? JSONScanner.scanLayout(output), patched.isObject else {
        invariant(false, "the patched document is not a JSON object: \(shown(output))")
        return
    }
    let actual = patched.entries.map { ($0.name, Array(output[$0.valueRange])) }
    invariant(actual.elementsEqual(expected, by: { $0.0 == $1.0 && $0.1 == $1.1 }),
              "members \(actual.map(describe)) instead of \(expected.map(describe)) in \(shown(output))")
}

func describe(_ member: (String?, [UInt8])) -> String {
    "\(member.0 ?? "-")=\(shown(member.1))"
}

/// The scanner accepts the output; the strict parser does too when it accepted every input.
func checkStillJSON(_ output: [UInt8], from inputs: [[UInt8]]) {
    invariant((try? JSONScanner.scanLayout(output))?.isObject == true, "the output is not a JSON object: \(shown(output))")
    if inputs.allSatisfy({ (try? JSONDocumentParser.parse($0, maximumDepth: 1024)) != nil }) {
        let reread = Result { () throws(JSONSyntaxError) -> ParsedJSON in try JSONDocumentParser.parse(output, maximumDepth: 1024) }
        invariant((try? reread.get()) != nil, "the parser refuses the output \(shown(output)): \(reread)")
    }
}

/// Returns the document after the text edit (the input of the system-prompt edit).
func checkLastUserText(_ value: [UInt8]?, in document: [UInt8], output: [UInt8], systemPromptFollows: Bool) -> [UInt8] {
    guard let range = ChatRequestPatch.lastUserTextRange(in: document), value?.first == UInt8(ascii: "\"") else {
        invariant(false, "applied $last_user_text \(shown(value ?? [])) to \(shown(document)) without a user text")
        return document
    }
    let prefix = document[..<range.lowerBound]
    let suffix = document[range.upperBound...]
    let edited = systemPromptFollows ? textEditOnly(value, of: document, range: range) : output
    invariant(edited.starts(with: prefix) && edited.reversed().starts(with: suffix.reversed()),
              "the text edit touched more than the text token \(range) of \(shown(document)): \(shown(edited))")
    let token = Array(edited[prefix.count..<(edited.count - suffix.count)])
    let wanted = lenientString(value ?? [])
    let reread = lenientString(token)
    invariant(wanted != nil && reread == wanted,
              "the new text token \(shown(token)) reads as \(String(describing: reread)), not \(String(describing: wanted))")
    return edited
}

/// A string token read as the scanner reads it (a lone surrogate escape is U+FFFD): the text
/// edit keeps the client's spelling whenever that reading already is the new text.
func lenientString(_ token: [UInt8]) -> String? {
    guard let (value, end) = try? JSONStringDecoding.decodeString(token, openingQuoteAt: 0, loneSurrogates: .replace),
          end == token.count
    else { return nil }
    return value
}

/// The document after the text edit alone, done as `ChatRequestPatch.apply` does it.
func textEditOnly(_ value: [UInt8]?, of document: [UInt8], range: Range<Int>) -> [UInt8] {
    let patch = Array(#"{"\#(ChatRequestPatch.lastUserTextKey)":"#.utf8) + (value ?? []) + [UInt8(ascii: "}")]
    return (try? ChatRequestPatch.apply(patch, to: document)) ?? document
}

func checkSystemPrompt(_ value: [UInt8]?, in output: [UInt8], after document: [UInt8]) {
    guard let top = try? JSONScanner.scanLayout(output), let messages = top.members(named: "messages").last,
          let list = JSONScanner.scanLayout(output, in: messages.valueRange), !list.isObject,
          let first = list.entries.first,
          let message = JSONScanner.scanLayout(output, in: first.valueRange), message.isObject,
          let role = message.members(named: "role").last, let content = message.members(named: "content").last
    else {
        invariant(false, "after $system_prompt the first message is not a message: \(shown(output))")
        return
    }
    invariant((try? JSONDocumentParser.parse(Array(output[role.valueRange]))) == .string("system"),
              "after $system_prompt the first role is \(shown(output[role.valueRange]))")
    invariant(Array(output[content.valueRange]) == value, "the system prompt is \(shown(output[content.valueRange])), not \(shown(value ?? []))")
    // The other messages keep their bytes, whether a message was inserted or the first one edited.
    guard let before = try? JSONScanner.scanLayout(document), let beforeMessages = before.members(named: "messages").last,
          let beforeList = JSONScanner.scanLayout(document, in: beforeMessages.valueRange)
    else {
        invariant(false, "a system prompt was set in a document without messages: \(shown(document))")
        return
    }
    let kept = list.entries.count == beforeList.entries.count ? beforeList.entries.dropFirst() : beforeList.entries[...]
    invariant(list.entries.count - kept.count == 1, "\(beforeList.entries.count) messages became \(list.entries.count)")
    for (after, original) in zip(list.entries.dropFirst(), kept) {
        invariant(output[after.valueRange].elementsEqual(document[original.valueRange]),
                  "a message changed: \(shown(document[original.valueRange])) became \(shown(output[after.valueRange]))")
    }
}
