import Testing
@testable import ProxyJSON

/// The string decoder both the scanner and the document parser use: values, where it stops, and
/// the two ways of treating a lone surrogate.
@Suite struct StringDecodingTests {
    typealias Failure = JSONStringDecodingError

    func decode(
        _ text: String, from start: Int = 0, _ loneSurrogates: JSONStringDecoding.LoneSurrogates = .reject
    ) throws(Failure) -> (value: String, end: Int) {
        try JSONStringDecoding.decodeString(Array(text.utf8), openingQuoteAt: start, loneSurrogates: loneSurrogates)
    }

    @Test func decodesFromTheQuoteToJustPastTheClosingQuote() throws {
        let decoded = try decode(#"[1, "a\tb\u00e9\uD83D\uDE00日", 2]"#, from: 4)
        #expect(decoded.value == "a\tbé😀日")
        #expect(decoded.end == 31)
    }

    @Test func loneSurrogatesAreReplacedOnlyWhenAsked() throws {
        let text = #""x\uD800y\uDC00z\uD800\u0041\uD800\n""#
        #expect(try decode(text, .replace).value == "x\u{FFFD}y\u{FFFD}z\u{FFFD}A\u{FFFD}\n")
        #expect(throws: Failure(.unpairedSurrogate, at: 8)) { try decode(text, .reject) }
    }

    @Test func failuresSayWhatAndWhere() {
        #expect(throws: Failure(.unterminated, at: 3)) { try decode(#""ab"#) }
        #expect(throws: Failure(.unterminated, at: 2)) { try decode(#""\"#) }
        #expect(throws: Failure(.controlCharacter, at: 2)) { try decode("\"a\u{1}\"") }
        #expect(throws: Failure(.invalidEscape, at: 2)) { try decode(#""\q""#) }
        #expect(throws: Failure(.expectedHexDigits, at: 5)) { try decode(#""\u00g0""#) }
        #expect(throws: Failure(.expectedHexDigits, at: 11)) { try decode(#""\uD800\uDCx0""#, .replace) }
        #expect(throws: Failure(.unpairedSurrogate, at: 13)) { try decode(#""\uD800\u0041""#) }
        #expect(throws: Failure(.invalidUTF8, at: 2)) {
            try JSONStringDecoding.decodeString([0x22, 0xC3, 0x22], openingQuoteAt: 0, loneSurrogates: .replace)
        }
    }

    @Test func scannerTokensDecodeThroughTheSameDecoder() {
        let bytes = Array(#"{"model":"m\u00e9\uD800"}"#.utf8)
        let token = StringToken(start: 9, end: 24, hasEscapes: true)
        let value = bytes.withUnsafeBytes { JSONStringDecoding.decode(token, in: $0.baseAddress!) }
        #expect(value == "mé\u{FFFD}")
    }
}
