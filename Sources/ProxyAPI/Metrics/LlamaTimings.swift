import ProxyJSON

/// llama-server's `timings` of one answer: a non-streaming JSON body has it as a top-level
/// member near its end, a stream in its last data event. Negative counts (llama-server's "not
/// measured") and missing or non-numeric speeds are left out.
struct LlamaTimings: Sendable, Equatable {
    var promptTokens: UInt64 = 0
    var promptPerSecond: Double?
    var predictedTokens: UInt64 = 0
    var predictedPerSecond: Double?

    init(promptTokens: UInt64 = 0, promptPerSecond: Double? = nil, predictedTokens: UInt64 = 0, predictedPerSecond: Double? = nil) {
        self.promptTokens = promptTokens
        self.promptPerSecond = promptPerSecond
        self.predictedTokens = predictedTokens
        self.predictedPerSecond = predictedPerSecond
    }

    /// The last `"timings": {...}` object in `tail` (the end of a body) that parses, looking
    /// back from the end; nil when there is none. Only the object itself is parsed.
    static func find(in tail: [UInt8]) -> LlamaTimings? {
        let key = Self.key
        var candidate = tail.count - key.count
        while candidate >= 0 {
            if tail[candidate] == UInt8(ascii: "\""), tail[candidate + 1] == UInt8(ascii: "t"),
               tail[candidate..<(candidate + key.count)].elementsEqual(key),
               candidate == 0 || tail[candidate - 1] != UInt8(ascii: "\\"),
               let timings = object(after: candidate + key.count, in: tail).flatMap(Self.init(parsing:)) {
                return timings
            }
            candidate -= 1
        }
        return nil
    }

    private static let key = Array("\"timings\"".utf8)

    /// The bytes of the object that follows `: ` at `index`, if it closes within `bytes`.
    private static func object(after index: Int, in bytes: [UInt8]) -> ArraySlice<UInt8>? {
        var index = skipWhitespace(from: index, in: bytes)
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
        index = skipWhitespace(from: index + 1, in: bytes)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        let start = index
        var depth = 0
        var inString = false
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return bytes[start...index] }
            }
            index += 1
        }
        return nil
    }

    private static func skipWhitespace(from index: Int, in bytes: [UInt8]) -> Int {
        var index = index
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
        return index
    }

    /// Needs `prompt_n` or `predicted_n` as a number.
    private init?(parsing object: ArraySlice<UInt8>) {
        // llama-server's timings object is flat (names and numbers): read that shape directly,
        // and only anything else with the general parser (which cost ~60k instructions an answer).
        let members: [(String, ParsedJSON)]
        if let flat = Self.flatNumbers(object) {
            members = flat.map { ($0.name, .number($0.text)) }
        } else if case .object(let parsed) = try? JSONDocumentParser.parse(Array(object)) {
            members = parsed
        } else {
            return nil
        }
        func number(_ name: String) -> Double? {
            guard case .number(let text) = members.last(where: { $0.0 == name })?.1, let value = Double(text), value.isFinite else { return nil }
            return value
        }
        func count(_ name: String) -> UInt64? {
            number(name).map { $0 >= 0 && $0 < 1e18 ? UInt64($0) : 0 }
        }
        guard count("prompt_n") != nil || count("predicted_n") != nil else { return nil }
        promptTokens = count("prompt_n") ?? 0
        predictedTokens = count("predicted_n") ?? 0
        promptPerSecond = number("prompt_per_second").flatMap { $0 >= 0 ? $0 : nil }
        predictedPerSecond = number("predicted_per_second").flatMap { $0 >= 0 ? $0 : nil }
    }

    /// `{"name": number, ...}` with plain names (no escapes) and JSON numbers, whitespace anywhere
    /// JSON allows it; nil for anything else (the caller then uses the general parser).
    static func flatNumbers(_ object: ArraySlice<UInt8>) -> [(name: String, text: String)]? {
        let bytes = Array(object)
        var index = skipWhitespace(from: 0, in: bytes)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index = skipWhitespace(from: index + 1, in: bytes)
        var members: [(name: String, text: String)] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            return skipWhitespace(from: index + 1, in: bytes) == bytes.count ? members : nil
        }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let nameStart = index + 1
            var nameEnd = nameStart
            while nameEnd < bytes.count, bytes[nameEnd] != UInt8(ascii: "\""), bytes[nameEnd] != UInt8(ascii: "\\"), bytes[nameEnd] >= 0x20 {
                nameEnd += 1
            }
            guard nameEnd < bytes.count, bytes[nameEnd] == UInt8(ascii: "\"") else { return nil }
            index = skipWhitespace(from: nameEnd + 1, in: bytes)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index = skipWhitespace(from: index + 1, in: bytes)
            let numberStart = index
            guard let numberEnd = jsonNumberEnd(from: index, in: bytes) else { return nil }
            members.append((String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self),
                            String(decoding: bytes[numberStart..<numberEnd], as: UTF8.self)))
            index = skipWhitespace(from: numberEnd, in: bytes)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index = skipWhitespace(from: index + 1, in: bytes)
            } else if bytes[index] == UInt8(ascii: "}") {
                return skipWhitespace(from: index + 1, in: bytes) == bytes.count ? members : nil
            } else {
                return nil
            }
        }
    }

    /// The end of the JSON number (RFC 8259 grammar) starting at `start`; nil if there is none.
    private static func jsonNumberEnd(from start: Int, in bytes: [UInt8]) -> Int? {
        var index = start
        func digits() -> Int {
            let first = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - first
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return nil }
        }
        return index
    }
}
