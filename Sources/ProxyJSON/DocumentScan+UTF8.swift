extension DocumentScan {
    /// Validates the multi-byte UTF-8 sequence at `position` (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF); returns the position after it.
    func scanUTF8Sequence(at position: Int) throws(JSONScanError) -> Int {
        let lead = byte(at: position)
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw .invalid(offset: position, reason: "invalid UTF-8")
        }
        guard position + length <= end else {
            throw .invalid(offset: position, reason: "truncated UTF-8 sequence")
        }
        guard secondRange.contains(byte(at: position + 1)) else {
            throw .invalid(offset: position + 1, reason: "invalid UTF-8")
        }
        for index in (position + 2)..<(position + length) where byte(at: index) & 0xC0 != 0x80 {
            throw .invalid(offset: index, reason: "invalid UTF-8")
        }
        return position + length
    }
}
