extension HTTPVersion {
    /// Parses exactly "HTTP/d.d". Well-formed versions other than 1.0 and 1.1 are
    /// `unsupportedVersion`; anything else is `malformed`.
    static func parse(
        _ range: Range<Int>, in bytes: UnsafeRawBufferPointer, malformed: HTTPParseError
    ) throws(HTTPParseError) -> HTTPVersion {
        guard range.count == 8 else { throw malformed }
        let start = range.lowerBound
        let prefix: (UInt8, UInt8, UInt8, UInt8, UInt8) = (0x48, 0x54, 0x54, 0x50, ASCII.slash)  // "HTTP/"
        guard bytes[start] == prefix.0, bytes[start + 1] == prefix.1, bytes[start + 2] == prefix.2,
            bytes[start + 3] == prefix.3, bytes[start + 4] == prefix.4,
            ASCII.isDigit(bytes[start + 5]), bytes[start + 6] == ASCII.dot, ASCII.isDigit(bytes[start + 7])
        else { throw malformed }
        let major = Int(bytes[start + 5] - ASCII.zero)
        let minor = Int(bytes[start + 7] - ASCII.zero)
        guard major == 1 && minor <= 1 else { throw .unsupportedVersion }
        return minor == 1 ? .http1_1 : .http1_0
    }
}
