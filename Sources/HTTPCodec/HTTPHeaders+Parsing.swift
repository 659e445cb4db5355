extension HTTPHeaders {
    /// Parses the field lines that follow the start line, up to the empty line.
    static func parse(_ lines: inout HeadLines, in bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.fields.reserveCapacity(16)
        while let line = lines.next() {
            let field = try parseField(line, in: bytes, malformed: .malformedHeader)
            headers.fields.append(field)
        }
        return headers
    }

    /// "name: value" per RFC 9112 §5: the name is a token with no whitespace before the colon, a
    /// line starting with whitespace (obsolete folding) is refused, the value loses its optional
    /// whitespace and must not contain NUL or CR.
    static func parseField(
        _ line: Range<Int>, in bytes: UnsafeRawBufferPointer, malformed: HTTPParseError
    ) throws(HTTPParseError) -> Element {
        var colon = line.lowerBound
        while colon < line.upperBound && bytes[colon] != ASCII.colon {
            guard ASCII.isTokenCharacter(bytes[colon]) else { throw malformed }
            colon += 1
        }
        guard colon > line.lowerBound && colon < line.upperBound else { throw malformed }
        var start = colon + 1
        var end = line.upperBound
        while start < end && ASCII.isWhitespace(bytes[start]) { start += 1 }
        while end > start && ASCII.isWhitespace(bytes[end - 1]) { end -= 1 }
        for index in start..<end {
            let byte = bytes[index]
            if byte == 0 || byte == ASCII.carriageReturn || byte == ASCII.lineFeed { throw malformed }
        }
        return (name: bytes.string(line.lowerBound..<colon), value: bytes.string(start..<end))
    }
}
