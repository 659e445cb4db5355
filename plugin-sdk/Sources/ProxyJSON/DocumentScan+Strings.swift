extension DocumentScan {
    /// Scans the string token whose opening quote is at `start`.
    func scanString(at start: Int) throws(JSONScanError) -> StringToken {
        var position = start + 1
        var hasEscapes = false
        while true {
            position = skipOrdinaryStringBytes(from: position)
            guard position < end else {
                throw .invalid(offset: end, reason: "unterminated string")
            }
            let current = byte(at: position)
            switch current {
            case UInt8(ascii: "\""):
                position += 1
                return StringToken(start: start, end: position, hasEscapes: hasEscapes)
            case UInt8(ascii: "\\"):
                hasEscapes = true
                position = try scanEscape(at: position)
            case 0x00..<0x20:
                throw .invalid(offset: position, reason: "unescaped control character in string")
            case 0x80...:
                position = try scanUTF8Sequence(at: position)
            default:
                position += 1
            }
        }
    }

    /// Skips eight bytes at a time while none is a quote, a backslash, a control character or
    /// non-ASCII; stops on the first such byte (or fewer than eight bytes before the end).
    @inline(__always) func skipOrdinaryStringBytes(from start: Int) -> Int {
        var position = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        while position &+ 8 <= end {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            // Classic SWAR tests: a byte of `x` is zero iff its high bit survives (x - 1) & ~x.
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            let special = ((quotes &- ones) & ~quotes)
                | ((backslashes &- ones) & ~backslashes)
                | ((word &- ones &* 0x20) & ~word)  // bytes below 0x20
                | word  // non-ASCII bytes
            let flagged = special & highBits
            if flagged == 0 {
                position &+= 8
            } else {
                // Borrows only disturb bytes above a true hit, so the lowest flag is exact.
                return position &+ flagged.trailingZeroBitCount >> 3
            }
        }
        return position
    }

    /// Checks the escape whose backslash is at `position`; returns the position after it.
    func scanEscape(at position: Int) throws(JSONScanError) -> Int {
        guard position + 1 < end else { throw unexpectedEnd() }
        switch byte(at: position + 1) {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return position + 2
        case UInt8(ascii: "u"):
            guard position + 6 <= end else { throw unexpectedEnd() }
            for index in (position + 2)..<(position + 6) where JSONStringDecoding.hexValue(byte(at: index)) == nil {
                throw .invalid(offset: index, reason: "expected four hex digits after \\u")
            }
            return position + 6
        default:
            throw .invalid(offset: position + 1, reason: "invalid escape sequence")
        }
    }

    /// Which top-level member a name token denotes; names are compared by value, so an escaped
    /// spelling such as `"mod\u0065l"` still counts.
    func classify(_ token: StringToken) -> TopLevelKey {
        let range = token.contentRange
        if !token.hasEscapes {
            if matches(range, "model") { return .model }
            if matches(range, "stream") { return .stream }
            if matches(range, "keep_alive") { return .keepAlive }
            return .other
        }
        // Six bytes per escape at most, so a longer token cannot spell any of the names.
        guard range.count <= 6 * 10 else { return .other }
        switch JSONStringDecoding.decode(token, in: base) {
        case "model": return .model
        case "stream": return .stream
        case "keep_alive": return .keepAlive
        default: return .other
        }
    }

    private func matches(_ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        for offset in 0..<range.count where byte(at: range.lowerBound + offset) != expected[offset] {
            return false
        }
        return true
    }
}
