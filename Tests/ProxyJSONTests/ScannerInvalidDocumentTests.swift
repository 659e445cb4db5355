import Testing
import ProxyJSON

/// Malformed documents in the spirit of JSONTestSuite's `n_` cases, with the byte offset where the
/// scanner must report the problem.
@Suite struct ScannerInvalidDocumentTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var bytes: [UInt8]
        var offset: Int
        var testDescription: String { String(decoding: bytes, as: UTF8.self).debugDescription }

        init(_ text: String, at offset: Int) {
            self.bytes = Array(text.utf8)
            self.offset = offset
        }

        init(bytes: [UInt8], at offset: Int) {
            self.bytes = bytes
            self.offset = offset
        }
    }

    static let cases: [Case] = [
        // Structure
        Case("", at: 0),
        Case("   ", at: 3),
        Case("{", at: 1),
        Case("{\"a\"", at: 4),
        Case("{\"a\":", at: 5),
        Case("{\"a\":1", at: 6),
        Case("{\"a\":1,", at: 7),
        Case("{\"a\":1,}", at: 7),  // trailing comma
        Case("{,}", at: 1),
        Case("{\"a\" 1}", at: 5),  // missing colon
        Case("{\"a\"::1}", at: 5),
        Case("{\"a\":1 \"b\":2}", at: 7),  // missing comma
        Case("{a:1}", at: 1),  // unquoted name
        Case("{'a':1}", at: 1),  // single quotes
        Case("{1:1}", at: 1),
        Case("{\"a\":1]", at: 6),
        Case("{\"a\":[1}", at: 7),
        Case("{\"a\":[1,]}", at: 8),
        Case("{\"a\":[,1]}", at: 6),
        Case("{\"a\":[1 2]}", at: 8),
        Case("{}}", at: 2),
        Case("{} {}", at: 3),
        Case("{}x", at: 2),
        Case("]", at: 0),
        Case("{\"a\":}", at: 5),
        Case("{\"a\":1}\u{0}", at: 7),
        Case("\u{FEFF}\u{FEFF}{}", at: 3),  // only one byte order mark is skipped
        // Literals
        Case("{\"a\":tru}", at: 8),
        Case("{\"a\":True}", at: 5),
        Case("{\"a\":nul", at: 8),
        Case("{\"a\":nulll}", at: 9),
        Case("{\"a\":NaN}", at: 5),
        Case("{\"a\":Infinity}", at: 5),
        Case("{\"a\":undefined}", at: 5),
        // Numbers
        Case("{\"a\":01}", at: 6),
        Case("{\"a\":-}", at: 6),
        Case("{\"a\":-01}", at: 7),
        Case("{\"a\":+1}", at: 5),
        Case("{\"a\":.5}", at: 5),
        Case("{\"a\":1.}", at: 7),
        Case("{\"a\":1.e5}", at: 7),
        Case("{\"a\":1e}", at: 7),
        Case("{\"a\":1e+}", at: 8),
        Case("{\"a\":1E-x}", at: 8),
        Case("{\"a\":0x10}", at: 6),
        Case("{\"a\":1_000}", at: 6),
        Case("{\"a\":-Infinity}", at: 6),
        Case("{\"a\":2.}", at: 7),
        Case("{\"a\":-", at: 6),
        // Strings
        Case("{\"a\":\"abc}", at: 10),
        Case("{\"a\":\"a\tb\"}", at: 7),  // raw tab
        Case("{\"a\":\"a\nb\"}", at: 7),  // raw newline
        Case("{\"a\":\"\u{1F}\"}", at: 6),
        Case("{\"a\":\"\\x41\"}", at: 7),
        Case("{\"a\":\"\\'\"}", at: 7),
        Case("{\"a\":\"\\u12\"}", at: 10),
        Case("{\"a\":\"\\u12G4\"}", at: 10),
        Case("{\"a\":\"\\U0041\"}", at: 7),
        Case("{\"a\":\"\\", at: 7),
        Case("{\"a\":\"\\u00", at: 10),
        Case("{\"a\":\"012345678901234567890123\u{1}\"}", at: 30),  // found by the 8-byte skip
        Case("{\"a\":\"0123456789012345678901\"", at: 29),
        // UTF-8
        Case(bytes: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D], at: 6),
        Case(bytes: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC0, 0xAF, 0x22, 0x7D], at: 6),  // overlong '/'
        Case(bytes: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xE0, 0x80, 0xAF, 0x22, 0x7D], at: 7),  // overlong
        Case(bytes: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D], at: 7),  // surrogate
        Case(bytes: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x7D], at: 7),  // > U+10FFFF
        Case(bytes: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0x80, 0x22, 0x7D], at: 6),  // lone continuation
        Case(bytes: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xE2, 0x82, 0x22, 0x7D], at: 8),  // cut short
        Case(bytes: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xE2, 0x82], at: 6),  // truncated at the end
        Case(bytes: [0x7B, 0x22, 0xFE, 0x22, 0x3A, 0x31, 0x7D], at: 2),  // in a member name
        Case(bytes: [0xEF, 0xBB, 0x7B, 0x7D], at: 0),  // half a byte order mark
        // Comments and other extensions
        Case("{\"a\":1 // comment\n}", at: 7),
        Case("{/* c */}", at: 1),
        Case("{\"a\":1,,\"b\":2}", at: 7),
    ]

    @Test(arguments: cases)
    func rejectsAtTheRightOffset(_ testCase: Case) {
        switch scanResult(testCase.bytes) {
        case .failure(.invalid(let offset, _)):
            #expect(offset == testCase.offset)
        case let other:
            Issue.record("expected invalid at \(testCase.offset), got \(other)")
        }
    }

    @Test func errorsDescribeThemselves() {
        #expect(JSONScanError.invalid(offset: 3, reason: "expected a value").description
            == "invalid JSON at byte 3: expected a value")
        #expect(JSONScanError.notAnObject.description == "the JSON body must be an object")
        #expect(JSONScanError.tooDeep.description == "JSON nesting deeper than 512 levels")
    }
}
