extension HTTPResponseHead {
    /// Parses a complete head: "HTTP/x.y code reason" followed by field lines. The reason (and the
    /// space before it) may be missing, as some servers send "HTTP/1.1 200".
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPResponseHead {
        var lines = HeadLines(bytes)
        guard let line = lines.next(), line.count >= 12 else { throw .malformedStatusLine }
        let start = line.lowerBound
        let version = try HTTPVersion.parse(start..<start + 8, in: bytes, malformed: .malformedStatusLine)
        let first = bytes[start + 9]
        let second = bytes[start + 10]
        let third = bytes[start + 11]
        guard bytes[start + 8] == ASCII.space, ASCII.isDigit(first), first != ASCII.zero,
            ASCII.isDigit(second), ASCII.isDigit(third)
        else { throw .malformedStatusLine }
        let status = Int(first - ASCII.zero) * 100 + Int(second - ASCII.zero) * 10 + Int(third - ASCII.zero)
        var reason = ""
        if line.count > 12 {
            guard bytes[start + 12] == ASCII.space else { throw .malformedStatusLine }
            let reasonRange = start + 13..<line.upperBound
            for index in reasonRange {
                let byte = bytes[index]
                guard byte >= ASCII.space || byte == ASCII.tab, byte != ASCII.delete else { throw .malformedStatusLine }
            }
            reason = bytes.string(reasonRange)
        }
        let headers = try HTTPHeaders.parse(&lines, in: bytes)
        return HTTPResponseHead(version: version, status: status, reason: reason, headers: headers)
    }
}
