/// The one decoder of JSON string literals, shared by the request-body scanner (which has already
/// validated the token and only wants the model name) and the document parser (which meets the
/// string for the first time and must say where it is malformed).
enum JSONStringDecoding {
    /// What to do with a `\u` escape naming half of a surrogate pair without its other half.
    enum LoneSurrogates {
        /// Decode it as U+FFFD, since a String cannot hold it (the scanner accepts such bodies).
        case replace
        /// Refuse the string (the document parser is strict).
        case reject
    }

    /// Decodes the string whose opening quote is at `start`; returns its value and the index just
    /// past its closing quote. `bytes` must be indexed from 0 (errors carry plain offsets).
    static func decodeString<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, openingQuoteAt start: Int, loneSurrogates: LoneSurrogates
    ) throws(JSONStringDecodingError) -> (value: String, end: Int) where Bytes.Index == Int {
        var index = start + 1
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.endIndex else { throw JSONStringDecodingError(.unterminated, at: index) }
            let current = bytes[index]
            switch current {
            case UInt8(ascii: "\""):
                // Escapes always decode to whole UTF-8 sequences, so checking the result checks the raw bytes.
                guard let value = String(validating: utf8, as: UTF8.self) else {
                    throw JSONStringDecodingError(.invalidUTF8, at: index)
                }
                return (value, index + 1)
            case UInt8(ascii: "\\"):
                index = try appendEscape(bytes, backslashAt: index, to: &utf8, loneSurrogates: loneSurrogates)
            case 0x00..<0x20:
                throw JSONStringDecodingError(.controlCharacter, at: index)
            default:
                utf8.append(current)
                index += 1
            }
        }
    }

    /// The value of a token the scanner has already validated.
    static func decode(_ token: StringToken, in base: UnsafeRawPointer) -> String {
        let content = UnsafeRawBufferPointer(
            start: base + token.contentRange.lowerBound, count: token.contentRange.count)
        guard token.hasEscapes else { return String(decoding: content, as: UTF8.self) }
        let document = UnsafeRawBufferPointer(start: base, count: token.end)
        // Validated means only lone surrogates could go wrong, and those are replaced, not refused.
        let decoded = try? decodeString(document, openingQuoteAt: token.start, loneSurrogates: .replace)
        return decoded?.value ?? String(decoding: content, as: UTF8.self)
    }

    static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
