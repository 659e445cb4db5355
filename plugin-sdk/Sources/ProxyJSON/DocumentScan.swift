/// One pass over a JSON document: an explicit container stack instead of recursion, so nesting
/// costs no call stack and is bounded by `ContainerStack.capacity`. The helpers take a position and
/// return the next one, which keeps the cursor in a register on the hot path.
struct DocumentScan {
    /// Top-level members the proxy cares about.
    enum TopLevelKey { case model, stream, keepAlive, other }

    /// What a successful scan found.
    struct Findings {
        var topLevelIsObject = false
        /// The last top-level `"model"` member if it was a string.
        var modelToken: StringToken?
        /// The last top-level `"stream"` member if it was a boolean.
        var stream: Bool?
        /// The bytes of the last top-level `"keep_alive"` value (for a container, its opening bracket).
        var keepAliveValue: Range<Int>?
        /// Where each entry of the top-level container sits; filled only by a scan that collects.
        var entries: [EntrySpan] = []
        /// Offsets of the top-level value's first and last byte (its brackets, for a container).
        var rootFirst = 0
        var rootLast = 0
    }

    /// One member (or element) of the top-level container: `nameStart` is the opening quote of
    /// its name (for an element, its value's start).
    struct EntrySpan: Equatable {
        var nameStart: Int
        var valueStart: Int
        var valueEnd: Int
    }

    let base: UnsafeRawPointer
    let end: Int
    /// Whether to record `Findings.entries`; off for request routing, which allocates nothing.
    var collectsEntries = false

    @inline(__always) func byte(at index: Int) -> UInt8 {
        base.load(fromByteOffset: index, as: UInt8.self)
    }

    /// Validates the whole document.
    func run() throws(JSONScanError) -> Findings {
        var findings = Findings()
        var position = skipByteOrderMark()
        var stack = ContainerStack()
        var keyOfNextValue = TopLevelKey.other
        var entryNameStart = 0
        var entryValueStart = 0

        nextValue: while true {
            position = skipWhitespace(from: position)
            guard position < end else { throw unexpectedEnd() }
            if collectsEntries {
                if stack.depth == 0 { findings.rootFirst = position }
                if stack.depth == 1 {
                    entryValueStart = position
                    if !stack.innermostIsObject { entryNameStart = position }
                }
            }
            let key = stack.depth == 1 ? keyOfNextValue : .other
            if key == .model { findings.modelToken = nil }
            if key == .stream { findings.stream = nil }
            if key == .keepAlive { findings.keepAliveValue = position..<(position + 1) }  // a container's bracket

            switch byte(at: position) {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte(at: position) == UInt8(ascii: "{")
                if stack.depth == 0 { findings.topLevelIsObject = isObject }
                guard stack.push(isObject: isObject) else { throw .tooDeep }
                position = skipWhitespace(from: position + 1)
                guard position < end else { throw unexpectedEnd() }
                if byte(at: position) == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                    stack.pop()
                } else if isObject {
                    if stack.depth == 1 { entryNameStart = position }
                    (keyOfNextValue, position) = try scanMemberName(at: position, atTopLevel: stack.depth == 1)
                    continue nextValue
                } else {
                    continue nextValue
                }
            case UInt8(ascii: "\""):
                let token = try scanString(at: position)
                position = token.end
                if key == .model { findings.modelToken = token }
                if key == .keepAlive { findings.keepAliveValue = token.start..<token.end }
            case UInt8(ascii: "t"):
                let start = position
                position = try expectLiteral("true", at: position)
                if key == .stream { findings.stream = true }
                if key == .keepAlive { findings.keepAliveValue = start..<position }
            case UInt8(ascii: "f"):
                let start = position
                position = try expectLiteral("false", at: position)
                if key == .stream { findings.stream = false }
                if key == .keepAlive { findings.keepAliveValue = start..<position }
            case UInt8(ascii: "n"):
                let start = position
                position = try expectLiteral("null", at: position)
                if key == .keepAlive { findings.keepAliveValue = start..<position }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = position
                position = try scanNumber(at: position)
                if key == .keepAlive { findings.keepAliveValue = start..<position }
            default:
                throw .invalid(offset: position, reason: "expected a value")
            }

            // A value just ended: close containers or move on to the next element.
            while true {
                if collectsEntries {
                    if stack.depth == 1 {
                        findings.entries.append(EntrySpan(nameStart: entryNameStart, valueStart: entryValueStart, valueEnd: position))
                    } else if stack.depth == 0 {
                        findings.rootLast = position - 1
                    }
                }
                position = skipWhitespace(from: position)
                guard stack.depth > 0 else {
                    guard position == end else {
                        throw .invalid(offset: position, reason: "unexpected data after the document")
                    }
                    return findings
                }
                guard position < end else { throw unexpectedEnd() }
                let inObject = stack.innermostIsObject
                switch byte(at: position) {
                case UInt8(ascii: ","):
                    position += 1
                    if inObject {
                        position = skipWhitespace(from: position)
                        if stack.depth == 1 { entryNameStart = position }
                        (keyOfNextValue, position) = try scanMemberName(at: position, atTopLevel: stack.depth == 1)
                    }
                    continue nextValue
                case UInt8(ascii: "}") where inObject, UInt8(ascii: "]") where !inObject:
                    position += 1
                    stack.pop()
                default:
                    throw .invalid(offset: position, reason: inObject ? "expected ',' or '}'" : "expected ',' or ']'")
                }
            }
        }
    }

    /// Reads `"name" :` at `position`; says which top-level member it names (only asked at
    /// depth 1) and where its value may start.
    func scanMemberName(at position: Int, atTopLevel: Bool) throws(JSONScanError) -> (TopLevelKey, Int) {
        guard position < end else { throw unexpectedEnd() }
        guard byte(at: position) == UInt8(ascii: "\"") else {
            throw .invalid(offset: position, reason: "expected a member name in double quotes")
        }
        let token = try scanString(at: position)
        let colon = skipWhitespace(from: token.end)
        guard colon < end else { throw unexpectedEnd() }
        guard byte(at: colon) == UInt8(ascii: ":") else {
            throw .invalid(offset: colon, reason: "expected ':' after a member name")
        }
        return (atTopLevel ? classify(token) : .other, colon + 1)
    }

    func unexpectedEnd() -> JSONScanError {
        .invalid(offset: end, reason: "unexpected end of input")
    }
}
