import Testing
import ProxyJSON

/// What the document parser builds: values as written, containers in order, duplicates kept.
@Suite struct DocumentParserValueTests {
    func parse(_ text: String) throws -> ParsedJSON {
        try JSONDocumentParser.parse(Array(text.utf8))
    }

    @Test(arguments: ["0", "-0", "2", "2.0", "2.50", "-12.5e3", "1E+2", "1e-07", "123456789012345678901234567890"])
    func numbersKeepTheirText(_ text: String) throws {
        #expect(try parse(text) == .number(text))
        #expect(try parse("[\(text)]") == .array([.number(text)]))
    }

    @Test func objectsKeepMemberOrderAndDuplicates() throws {
        let parsed = try parse(#"{"b": 1, "a": [true, false, null], "b": {"c": "d"}}"#)
        #expect(parsed == .object([
            ("b", .number("1")),
            ("a", .array([.bool(true), .bool(false), .null])),
            ("b", .object([("c", .string("d"))])),
        ]))
        #expect(parsed != .object([
            ("a", .array([.bool(true), .bool(false), .null])),
            ("b", .number("1")),
            ("b", .object([("c", .string("d"))])),
        ]))
    }

    @Test func emptyContainersAndScalarsAtTheTop() throws {
        #expect(try parse("{}") == .object([]))
        #expect(try parse("[ ]") == .array([]))
        #expect(try parse(#""x""#) == .string("x"))
        #expect(try parse("null") == .null)
        #expect(try parse("[[], {}]") == .array([.array([]), .object([])]))
    }

    @Test func stringsAreDecoded() throws {
        let text = #"["a\"b", "\\\/\b\f\n\r\t", "\u00e9\uD83D\uDE00", "日本", "\u0000"]"#
        #expect(try parse(text) == .array([
            .string("a\"b"), .string("\\/\u{8}\u{C}\n\r\t"), .string("é😀"), .string("日本"), .string("\u{0}"),
        ]))
    }

    @Test func byteOrderMarkAndSurroundingWhitespaceAreSkipped() throws {
        #expect(try parse("\u{FEFF}\n\t {\"a\": 1} \r\n") == .object([("a", .number("1"))]))
    }

    @Test func nestingIsBoundedByTheMaximumDepth() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(deepest) }
        let tooDeep = "[" + deepest + "]"
        #expect(throws: JSONSyntaxError(line: 1, column: 65, reason: "nesting too deep")) { try parse(tooDeep) }
        let shallow = Array("[[1]]".utf8)
        // The number is the third value down.
        #expect(throws: Never.self) { try JSONDocumentParser.parse(shallow, maximumDepth: 3) }
        #expect(throws: JSONSyntaxError(line: 1, column: 3, reason: "nesting too deep")) {
            try JSONDocumentParser.parse(shallow, maximumDepth: 2)
        }
    }
}
