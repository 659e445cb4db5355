/// A strict RFC 8259 parser for the configuration file. Unlike the request-body scanner it builds
/// values, and it reports errors by line and column, which is what a person editing a file needs.
struct ConfigJSONParser {
    /// Far deeper than any sensible configuration; keeps the recursion bounded.
    static let maximumDepth = 64

    let bytes: [UInt8]
    var index = 0

    static func parse(_ bytes: [UInt8]) throws(ConfigError) -> ConfigJSON {
        var parser = ConfigJSONParser(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func parseValue(depth: Int) throws(ConfigError) -> ConfigJSON {
        guard depth < Self.maximumDepth else { throw error("nesting too deep") }
        skipWhitespace()
        guard let current = peek() else { throw error("unexpected end of file, expected a value") }
        switch current {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "/"): throw error("comments are not allowed in JSON")
        default: throw error("expected a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(ConfigError) -> ConfigJSON {
        index += 1
        var members: [(String, ConfigJSON)] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw error(peek() == UInt8(ascii: "}") ? "trailing comma before '}'" : "expected a key in double quotes")
            }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
            index += 1
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(ConfigError) -> ConfigJSON {
        index += 1
        var elements: [ConfigJSON] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(ConfigError) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else {
            try expectDigits()
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            try expectDigits()
        }
        if let marker = peek(), marker | 0x20 == UInt8(ascii: "e") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            try expectDigits()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func expectDigits() throws(ConfigError) {
        guard let first = peek(), Self.isDigit(first) else { throw error("expected a digit") }
        while let next = peek(), Self.isDigit(next) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private mutating func expectWord(_ word: String) throws(ConfigError) {
        for expected in word.utf8 {
            guard peek() == expected else { throw error("invalid literal, expected \(word)") }
            index += 1
        }
    }

    func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    mutating func skipWhitespace() {
        while let current = peek(), [0x20, 0x0A, 0x0D, 0x09].contains(current) { index += 1 }
    }

    /// A syntax error at the current position, as `line L, column C` (columns count characters).
    func error(_ reason: String) -> ConfigError {
        let position = min(index, bytes.count)
        let lineStart = bytes[..<position].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = bytes[..<lineStart].count { $0 == 0x0A } + 1
        let column = bytes[lineStart..<position].count { $0 & 0xC0 != 0x80 } + 1
        return ConfigError(keyPath: nil, message: "invalid JSON at line \(line), column \(column): \(reason)")
    }
}
