extension HTTPRequestHead {
    /// Parses a complete head: "METHOD target HTTP/x.y" followed by field lines.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPRequestHead {
        var lines = HeadLines(bytes)
        guard let requestLine = lines.next() else { throw .malformedRequestLine }
        let line = try RequestLine(requestLine, in: bytes)
        let headers = try HTTPHeaders.parse(&lines, in: bytes)
        return HTTPRequestHead(
            method: bytes.string(line.method), target: bytes.string(line.target),
            version: line.version, headers: headers)
    }
}

/// The three parts of a request line, as ranges of the head.
private struct RequestLine {
    var method: Range<Int>
    var target: Range<Int>
    var version: HTTPVersion

    /// The method is a token; the target is non-empty without spaces or control characters;
    /// single spaces separate them.
    init(_ line: Range<Int>, in bytes: UnsafeRawBufferPointer) throws(HTTPParseError) {
        var index = line.lowerBound
        while index < line.upperBound && bytes[index] != ASCII.space {
            guard ASCII.isTokenCharacter(bytes[index]) else { throw .malformedRequestLine }
            index += 1
        }
        guard index > line.lowerBound && index < line.upperBound else { throw .malformedRequestLine }
        method = line.lowerBound..<index
        index += 1
        let targetStart = index
        while index < line.upperBound && bytes[index] != ASCII.space {
            let byte = bytes[index]
            guard byte > ASCII.space && byte != ASCII.delete else { throw .malformedRequestLine }
            index += 1
        }
        guard index > targetStart && index < line.upperBound else { throw .malformedRequestLine }
        target = targetStart..<index
        version = try HTTPVersion.parse(index + 1..<line.upperBound, in: bytes, malformed: .malformedRequestLine)
    }
}
