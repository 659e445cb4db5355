import Testing
import ProxyJSON

/// Malformed documents are reported with the line and column (in characters) where reading stopped.
@Suite struct DocumentParserSyntaxErrorTests {
    static let cases: [(String, Int, Int, String)] = [
        ("", 1, 1, "unexpected end of file, expected a value"),
        ("  \n ", 2, 2, "unexpected end of file, expected a value"),
        ("{", 1, 2, "expected a key in double quotes"),
        ("{\n  \"port\": 1,\n}", 3, 1, "trailing comma before '}'"),
        ("{\"a\": [1, 2,]}", 1, 13, "trailing comma before ']'"),
        ("{\n  \"port\" 8080\n}", 2, 10, "expected ':' after the key"),
        ("{\"port\": 8080 \"host\": \"x\"}", 1, 15, "expected ',' or '}'"),
        ("{\"a\": [1 2]}", 1, 10, "expected ',' or ']'"),
        ("[1", 1, 3, "expected ',' or ']'"),
        ("{\n  // a comment\n}", 2, 3, "expected a key in double quotes"),
        ("{\"a\": // comment\n1}", 1, 7, "comments are not allowed in JSON"),
        ("{'a': 1}", 1, 2, "expected a key in double quotes"),
        ("{\"a\": tru}", 1, 10, "invalid literal, expected true"),
        ("nul", 1, 4, "invalid literal, expected null"),
        ("{\"a\": 01}", 1, 8, "expected ',' or '}'"),
        ("{\"a\": -}", 1, 8, "expected a digit"),
        ("{\"a\": 1.}", 1, 9, "expected a digit"),
        ("{\"a\": 1e}", 1, 9, "expected a digit"),
        ("{\"a\": 1e+}", 1, 10, "expected a digit"),
        ("{\"a\": .5}", 1, 7, "expected a value"),
        ("{\"a\": \"x", 1, 9, "unterminated string"),
        ("\"x\\", 1, 4, "unterminated string"),
        ("{\"a\": \"x\ty\"}", 1, 9, "control characters must be escaped in strings"),
        ("{\"a\": \"\\x\"}", 1, 9, "invalid escape sequence"),
        ("{\"a\": \"\\u12\"}", 1, 12, "expected four hex digits after \\u"),
        ("\"\\u12", 1, 6, "expected four hex digits after \\u"),
        ("{\"a\": \"\\uD800\"}", 1, 14, "unpaired surrogate in \\u escape"),
        ("{\"a\": \"\\uDC00\"}", 1, 14, "unpaired surrogate in \\u escape"),
        ("{\"a\": \"\\uD800\\u0041\"}", 1, 20, "unpaired surrogate in \\u escape"),
        ("\"\\uD800\\n\"", 1, 9, "unpaired surrogate in \\u escape"),
        ("\"\\uD800\\", 1, 9, "unpaired surrogate in \\u escape"),
        ("\"\\uD800\\uDC0", 1, 13, "expected four hex digits after \\u"),
        ("{\"é日\": x}", 1, 8, "expected a value"),  // columns count characters, not bytes
        ("{} {}", 1, 4, "unexpected text after the JSON value"),
        (String(repeating: "[", count: 100), 1, 65, "nesting too deep"),
    ]

    @Test(arguments: cases)
    func reportsLineAndColumn(_ json: String, _ line: Int, _ column: Int, _ reason: String) {
        #expect(throws: JSONSyntaxError(line: line, column: column, reason: reason)) {
            try JSONDocumentParser.parse(Array(json.utf8))
        }
    }

    @Test func invalidUTF8IsReportedWhereItsStringEnds() {
        let bytes = Array(#"{"a": "x"#.utf8) + [0xFF, 0x79, 0x22, 0x7D]
        #expect(throws: JSONSyntaxError(line: 1, column: 11, reason: "the string ending here is not valid UTF-8")) {
            try JSONDocumentParser.parse(bytes)
        }
    }

    @Test func descriptionNamesLineAndColumn() {
        let error = JSONSyntaxError(line: 3, column: 1, reason: "trailing comma before '}'")
        #expect(error.description == "invalid JSON at line 3, column 1: trailing comma before '}'")
    }
}
