extension ParsedJSON {
    /// Compact UTF-8 JSON text. Numbers are written exactly as they were read (`1.0` stays
    /// `1.0`, `1e400` stays `1e400`), so a value survives a round trip without losing precision;
    /// object members keep their order, duplicates included.
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
        case .number(let text): output.append(contentsOf: text.utf8)
        case .string(let value): JSONValue.appendQuoted(value, to: &output)
        case .array(let elements): JSONWriting.array(elements, into: &output) { $0.serialize(into: &$1) }
        case .object(let members): JSONWriting.object(members, into: &output) { $0.serialize(into: &$1) }
        }
    }

    /// The serialized text as a String.
    public var serializedString: String { String(decoding: serialized(), as: UTF8.self) }
}
