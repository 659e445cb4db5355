import Testing
import ProxyJSON

/// Well-formed documents in the spirit of JSONTestSuite's `y_` cases: each must be accepted.
@Suite struct ScannerValidDocumentTests {
    static let objects: [String] = [
        "{}",
        " \t\r\n{ \t\r\n} \t\r\n",
        #"{"a":1}"#,
        #"{"a":"b","c":[1,2,{"d":null}]}"#,
        #"{"":0}"#,
        #"{"a":"b","a":"c"}"#,  // duplicate names are allowed by the grammar
        #"{"nested":{"deeper":{"deepest":[[[]]]}}}"#,
        #"{"x":[true,false,null]}"#,
        #"{"n":[0,-0,1,-1,123456789,1.5,-0.25,1e5,1E5,1e+5,1e-5,1.0e-10,-1.25E+300,0.0]}"#,
        #"{"big":123456789012345678901234567890123456789012345678901234567890}"#,
        #"{"tiny":1e-400,"huge":1e400}"#,
        #"{"s":"\"\\\/\b\f\n\r\t"}"#,
        #"{"u":"\u0000\u001f\u00e9\uFFFF\uD834\uDD1E"}"#,
        #"{"lone":"\uD800","reversed":"\uDC00\uD800"}"#,  // grammatical though not valid Unicode
        #"{"s":"é日本語𝄞 and emoji 😀"}"#,
        #"{"s":"\u0022quoted\u0022"}"#,
        "{\"del\":\"\u{7F}\"}",
        #"{"s":"a/b"}"#,
        #"{"a":[],"b":{},"c":""}"#,
        #"{"k":"0123456789abcdefghijklmnopqrstuvwxyz long enough to exercise the eight-byte skip"}"#,
        "\u{FEFF}{}",  // byte order mark, ignored like llama-server does
    ]

    static let nonObjects: [String] = [
        "[]", "[1]", #"["a",{"b":2}]"#, "0", "-0.5e3", "true", "false", "null", #""text""#, " [ ] ",
        "123", #""\u00e9""#,
    ]

    @Test(arguments: objects)
    func acceptsObject(_ document: String) throws {
        #expect(throws: Never.self) { try JSONScanner.scanRequestBody(Array(document.utf8)) }
    }

    @Test(arguments: nonObjects)
    func acceptsButRejectsNonObjectTopLevel(_ document: String) {
        #expect(scanResult(document) == .failure(.notAnObject))
    }

    @Test func acceptsDepthUpToTheLimit() {
        let depth = JSONScanner.maximumDepth
        let arrays = "{\"a\":" + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        #expect(throws: Never.self) { try JSONScanner.scanRequestBody(Array(arrays.utf8)) }
        let objects = String(repeating: "{\"a\":", count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        #expect(throws: Never.self) { try JSONScanner.scanRequestBody(Array(objects.utf8)) }
    }

    @Test func refusesOneLevelTooDeep() {
        let depth = JSONScanner.maximumDepth + 1
        let arrays = "{\"a\":" + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        #expect(scanResult(arrays) == .failure(.tooDeep))
        // Unclosed deep nesting is refused as too deep before running out of input.
        #expect(scanResult(String(repeating: "[", count: 100_000)) == .failure(.tooDeep))
    }
}
