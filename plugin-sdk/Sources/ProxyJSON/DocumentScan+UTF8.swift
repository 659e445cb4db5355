extension DocumentScan {
    /// Validates the multi-byte UTF-8 sequence at `position` (RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF); returns the position after it.
    func scanUTF8Sequence(at position: Int) throws(JSONScanError) -> Int {
        guard let (length, secondRange) = UTF8LeadByte.multiByteShape(byte(at: position)) else {
            throw .invalid(offset: position, reason: "invalid UTF-8")
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
