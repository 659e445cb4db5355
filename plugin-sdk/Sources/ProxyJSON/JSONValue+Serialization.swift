extension JSONValue {
    /// Compact UTF-8 JSON text.
    public func serialized() -> [UInt8] {
        var output: [UInt8] = []
        serialize(into: &output)
        return output
    }

    /// Appends compact UTF-8 JSON text to `output`.
    public func serialize(into output: inout [UInt8]) {
        switch self {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): output.append(contentsOf: String(value).utf8)
        case .number(let value):
            // JSON has no NaN or infinity; null is what JavaScript's JSON.stringify writes too.
            output.append(contentsOf: (value.isFinite ? "\(value)" : "null").utf8)
        case .string(let value): Self.appendQuoted(value, to: &output)
        case .array(let elements): JSONWriting.array(elements, into: &output) { $0.serialize(into: &$1) }
        case .object(let members): JSONWriting.object(members, into: &output) { $0.serialize(into: &$1) }
        }
    }

    /// Writes `text` as a JSON string: quotes, backslashes and control characters escaped,
    /// everything else (non-ASCII included) copied as UTF-8.
    static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for unit in text.utf8 {
            switch unit {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case 0x0A: output.append(contentsOf: #"\n"#.utf8)
            case 0x0D: output.append(contentsOf: #"\r"#.utf8)
            case 0x09: output.append(contentsOf: #"\t"#.utf8)
            case 0x08: output.append(contentsOf: #"\b"#.utf8)
            case 0x0C: output.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20:
                let hexDigits: StaticString = "0123456789abcdef"
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hexDigits.utf8Start[Int(unit >> 4)])
                output.append(hexDigits.utf8Start[Int(unit & 0x0F)])
            default: output.append(unit)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The serialized text as a String, for logs and tests.
    public var serializedString: String { String(decoding: serialized(), as: UTF8.self) }
}
