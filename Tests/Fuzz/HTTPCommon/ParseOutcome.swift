/// Everything a parser produced from one feeding of an input: its parts with adjacent body
/// pieces merged (so splitting cannot change them), the error that stopped it, and the bytes it
/// left unconsumed. Every feeding of the same input must produce the same outcome.
struct ParseOutcome<Part: Equatable>: Equatable {
    var parts: [Part] = []
    var error: HTTPParseError?
    var unconsumed: [UInt8] = []

    var description: String {
        "\(parts)" + (error.map { " then \($0)" } ?? "") + " leaving \(shown(unconsumed))"
    }
}

/// The two part types, seen alike so outcomes can merge body pieces.
protocol ParsedPart: Equatable {
    static func body(_ bytes: ArraySlice<UInt8>) -> Self
    var bodyBytes: ArraySlice<UInt8>? { get }
}

extension HTTPRequestPart: ParsedPart {
    var bodyBytes: ArraySlice<UInt8>? {
        if case .body(let bytes) = self { bytes } else { nil }
    }
}

extension HTTPResponsePart: ParsedPart {
    var bodyBytes: ArraySlice<UInt8>? {
        if case .body(let bytes) = self { bytes } else { nil }
    }
}

extension ParseOutcome where Part: ParsedPart {
    /// Appends `part`; a body piece right after another joins it. An empty body piece is a bug
    /// in itself (a caller would forward nothing), so it is refused here.
    mutating func append(_ part: Part) {
        if let bytes = part.bodyBytes {
            invariant(!bytes.isEmpty, "an empty body piece after \(parts)")
            if let previous = parts.last?.bodyBytes {
                parts[parts.count - 1] = Part.body(ArraySlice(previous + bytes))
                return
            }
            parts.append(Part.body(ArraySlice(bytes)))
            return
        }
        parts.append(part)
    }
}
