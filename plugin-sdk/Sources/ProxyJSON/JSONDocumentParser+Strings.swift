extension JSONDocumentParser {
    /// Reads the string at the cursor's opening quote with the decoder the scanner uses.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        do throws(JSONStringDecodingError) {
            let (value, end) = try JSONStringDecoding.decodeString(
                bytes, openingQuoteAt: index, loneSurrogates: .reject)
            index = end
            return value
        } catch {
            throw JSONSyntaxError(Self.reason(for: error.problem), at: error.offset, in: bytes)
        }
    }

    private static func reason(for problem: JSONStringDecodingError.Problem) -> String {
        switch problem {
        case .unterminated: "unterminated string"
        case .controlCharacter: "control characters must be escaped in strings"
        case .invalidEscape: "invalid escape sequence"
        case .expectedHexDigits: "expected four hex digits after \\u"
        case .unpairedSurrogate: "unpaired surrogate in \\u escape"
        case .invalidUTF8: "the string ending here is not valid UTF-8"
        }
    }
}
