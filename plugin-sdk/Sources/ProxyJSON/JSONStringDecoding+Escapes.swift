extension JSONStringDecoding {
    /// Decodes the escape whose backslash is at `backslash`, appending its UTF-8 to `utf8`;
    /// returns the index after it.
    static func appendEscape<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, backslashAt backslash: Int, to utf8: inout [UInt8], loneSurrogates: LoneSurrogates
    ) throws(JSONStringDecodingError) -> Int where Bytes.Index == Int {
        let kindIndex = backslash + 1
        guard kindIndex < bytes.endIndex else { throw JSONStringDecodingError(.unterminated, at: kindIndex) }
        let kind = bytes[kindIndex]
        switch kind {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(kind)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            let (scalar, end) = try unicodeEscape(bytes, hexDigitsAt: kindIndex + 1, loneSurrogates: loneSurrogates)
            utf8.append(contentsOf: String(Character(scalar)).utf8)
            return end
        default:
            throw JSONStringDecodingError(.invalidEscape, at: kindIndex)
        }
        return kindIndex + 1
    }

    /// Reads the four hex digits at `start` (just past `\u`), joining a surrogate pair when a low
    /// surrogate escape follows.
    private static func unicodeEscape<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, hexDigitsAt start: Int, loneSurrogates: LoneSurrogates
    ) throws(JSONStringDecodingError) -> (Unicode.Scalar, end: Int) where Bytes.Index == Int {
        let unit = try hexQuad(bytes, at: start)
        let end = start + 4
        if (0xD800...0xDBFF).contains(unit) {
            do throws(JSONStringDecodingError) {
                return try lowSurrogateEscape(bytes, at: end, joining: unit)
            } catch {
                if loneSurrogates == .reject { throw error }
            }
        }
        guard let scalar = Unicode.Scalar(unit) else {
            if loneSurrogates == .reject { throw JSONStringDecodingError(.unpairedSurrogate, at: end) }
            return ("\u{FFFD}", end)
        }
        return (scalar, end)
    }

    /// The `\uDC00`…`\uDFFF` escape that must follow the high surrogate `high`, joined with it.
    private static func lowSurrogateEscape<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, at start: Int, joining high: UInt32
    ) throws(JSONStringDecodingError) -> (Unicode.Scalar, end: Int) where Bytes.Index == Int {
        guard start < bytes.endIndex, bytes[start] == UInt8(ascii: "\\") else {
            throw JSONStringDecodingError(.unpairedSurrogate, at: start)
        }
        guard start + 1 < bytes.endIndex, bytes[start + 1] == UInt8(ascii: "u") else {
            throw JSONStringDecodingError(.unpairedSurrogate, at: start + 1)
        }
        let low = try hexQuad(bytes, at: start + 2)
        let end = start + 6
        guard (0xDC00...0xDFFF).contains(low),
            let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        else {
            throw JSONStringDecodingError(.unpairedSurrogate, at: end)
        }
        return (scalar, end)
    }

    private static func hexQuad<Bytes: RandomAccessCollection<UInt8>>(
        _ bytes: Bytes, at start: Int
    ) throws(JSONStringDecodingError) -> UInt32 where Bytes.Index == Int {
        var value: UInt32 = 0
        for index in start..<(start + 4) {
            guard index < bytes.endIndex, let nibble = hexValue(bytes[index]) else {
                throw JSONStringDecodingError(.expectedHexDigits, at: index)
            }
            value = value << 4 | UInt32(nibble)
        }
        return value
    }
}
