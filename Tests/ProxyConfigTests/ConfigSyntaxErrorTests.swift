import Testing
@testable import ProxyConfig

/// Malformed JSON is reported with the line and column (in characters) where reading stopped.
@Suite struct ConfigSyntaxErrorTests {
    let fileSystem = FakeFileSystem()

    static let cases: [(String, String)] = [
        ("", "line 1, column 1: unexpected end of file, expected a value"),
        ("{", "line 1, column 2: expected a key in double quotes"),
        ("{\n  \"port\": 1,\n}", "line 3, column 1: trailing comma before '}'"),
        ("{\"a\": [1, 2,]}", "line 1, column 13: trailing comma before ']'"),
        ("{\n  \"port\" 8080\n}", "line 2, column 10: expected ':' after the key"),
        ("{\"port\": 8080 \"host\": \"x\"}", "line 1, column 15: expected ',' or '}'"),
        ("{\"a\": [1 2]}", "line 1, column 10: expected ',' or ']'"),
        ("{\n  // a comment\n}", "line 2, column 3: expected a key in double quotes"),
        ("{\"a\": // comment\n1}", "line 1, column 7: comments are not allowed in JSON"),
        ("{'a': 1}", "line 1, column 2: expected a key in double quotes"),
        ("{\"a\": tru}", "line 1, column 10: invalid literal, expected true"),
        ("{\"a\": 01}", "line 1, column 8: expected ',' or '}'"),
        ("{\"a\": -}", "line 1, column 8: expected a digit"),
        ("{\"a\": 1.}", "line 1, column 9: expected a digit"),
        ("{\"a\": 1e}", "line 1, column 9: expected a digit"),
        ("{\"a\": .5}", "line 1, column 7: expected a value"),
        ("{\"a\": \"x", "line 1, column 9: unterminated string"),
        ("{\"a\": \"x\ty\"}", "line 1, column 9: control characters must be escaped in strings"),
        ("{\"a\": \"\\x\"}", "line 1, column 9: invalid escape sequence"),
        ("{\"a\": \"\\u12\"}", "line 1, column 12: expected four hex digits after \\u"),
        ("{\"a\": \"\\uD800\"}", "line 1, column 14: unpaired surrogate in \\u escape"),
        ("{\"a\": \"\\uDC00\"}", "line 1, column 14: unpaired surrogate in \\u escape"),
        ("{\"a\": \"\\uD800\\u0041\"}", "line 1, column 20: unpaired surrogate in \\u escape"),
        ("{\"é日\": x}", "line 1, column 8: expected a value"),  // columns count characters, not bytes
        ("{} {}", "line 1, column 4: unexpected text after the JSON value"),
        (String(repeating: "[", count: 100), "line 1, column 65: nesting too deep"),
    ]

    @Test(arguments: cases)
    func reportsLineAndColumn(_ json: String, _ expected: String) {
        #expect(fileSystem.error(json) == "invalid JSON at " + expected)
    }

    @Test func invalidUTF8IsRefused() {
        var bytes = Array(#"{"llama_server": "bin/llama-server", "host": "x"#.utf8)
        bytes += [0xFF, 0x22, 0x7D]
        #expect(throws: ConfigError(keyPath: nil,
                                    message: "invalid JSON at line 1, column 49: the string ending here is not valid UTF-8")) {
            try ProxyConfiguration.parse(bytes, baseDirectory: "/", fileExists: { _ in true },
                                         isExecutable: { _ in true }, isDirectory: { _ in false })
        }
    }
}
