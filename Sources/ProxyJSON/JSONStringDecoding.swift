/// Turns a validated string token into its value. Only ever run on the one string the proxy
/// needs (the model name), so it is written for clarity rather than speed.
enum JSONStringDecoding {
    static func decode(_ token: StringToken, in base: UnsafeRawPointer) -> String {
        let content = UnsafeRawBufferPointer(
            start: base + token.contentRange.lowerBound, count: token.contentRange.count)
        guard token.hasEscapes else { return String(decoding: content, as: UTF8.self) }

        var utf8: [UInt8] = []
        utf8.reserveCapacity(content.count)
        var index = 0
        while index < content.count {
            let current = content[index]
            guard current == UInt8(ascii: "\\") else {
                utf8.append(current)
                index += 1
                continue
            }
            let kind = content[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = decodeUnicodeEscape(content, at: &index)
                utf8.append(contentsOf: String(Character(scalar)).utf8)
            default: utf8.append(kind)  // \" \\ \/
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Reads the four hex digits at `index` (just past `\u`), joining a surrogate pair when a low
    /// surrogate escape follows; a lone surrogate becomes U+FFFD since a String cannot hold it.
    private static func decodeUnicodeEscape(_ content: UnsafeRawBufferPointer, at index: inout Int) -> Unicode.Scalar {
        let unit = hexQuad(content, at: index)
        index += 4
        if (0xD800...0xDBFF).contains(unit),
            index + 6 <= content.count,
            content[index] == UInt8(ascii: "\\"), content[index + 1] == UInt8(ascii: "u")
        {
            let low = hexQuad(content, at: index + 2)
            if (0xDC00...0xDFFF).contains(low) {
                index += 6
                let value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                return Unicode.Scalar(value) ?? "\u{FFFD}"
            }
        }
        return Unicode.Scalar(unit) ?? "\u{FFFD}"
    }

    private static func hexQuad(_ content: UnsafeRawBufferPointer, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            value = value << 4 | UInt32(hexValue(content[index + offset]) ?? 0)
        }
        return value
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
