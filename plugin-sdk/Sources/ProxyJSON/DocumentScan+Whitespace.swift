extension DocumentScan {
    @inline(__always) func skipWhitespace(from start: Int) -> Int {
        var position = start
        while position < end {
            switch byte(at: position) {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return position
            }
        }
        return position
    }

    /// RFC 8259 lets parsers ignore a leading byte order mark; llama-server's parser does, so we do.
    func skipByteOrderMark() -> Int {
        end >= 3 && byte(at: 0) == 0xEF && byte(at: 1) == 0xBB && byte(at: 2) == 0xBF ? 3 : 0
    }
}
