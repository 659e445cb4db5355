/// The container syntax both value types write with (`JSONValue` for what the proxy composes,
/// `ParsedJSON` for what it read back), so commas and braces are written in one place.
enum JSONWriting {
    static func array<Element>(_ elements: [Element], into output: inout [UInt8],
                               _ write: (Element, inout [UInt8]) -> Void) {
        output.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            write(element, &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    static func object<Value>(_ members: [(String, Value)], into output: inout [UInt8],
                              _ write: (Value, inout [UInt8]) -> Void) {
        output.append(UInt8(ascii: "{"))
        for (index, (name, value)) in members.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONValue.appendQuoted(name, to: &output)
            output.append(UInt8(ascii: ":"))
            write(value, &output)
        }
        output.append(UInt8(ascii: "}"))
    }
}
