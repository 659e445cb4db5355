/// Finds where a head (request or status line, fields, empty line) ends in a growing buffer. It
/// remembers how far it has looked, so feeding a head one byte at a time costs O(n) in total.
struct HeadScanner: Sendable {
    /// Readable bytes already searched; the next search resumes here.
    private var resumeOffset = 0
    /// Whether bytes of a head (not just empty lines before one) have arrived.
    private(set) var hasStarted = false

    /// Skips empty lines before the head (RFC 9112 §2.2), then returns the length of the head up to
    /// and including its empty line, or nil until it is complete. Throws `headerTooLarge` as soon
    /// as `limit` bytes have arrived without the head ending, and `malformedStart` for a bare CR.
    mutating func scan(
        _ buffer: inout ByteBuffer, limit: Int, malformedStart: HTTPParseError
    ) throws(HTTPParseError) -> Int? {
        if !hasStarted {
            guard try Self.skipEmptyLines(&buffer, malformed: malformedStart) else { return nil }
            hasStarted = true
        }
        let found = buffer.withReadableBytes { bytes in Self.findEnd(in: bytes, from: &resumeOffset, limit: limit) }
        if let found {
            self = HeadScanner()
            return found
        }
        if buffer.readableBytes >= limit { throw .headerTooLarge }
        return nil
    }

    /// Consumes leading CRLF or LF lines; true once a head's first byte is readable.
    private static func skipEmptyLines(
        _ buffer: inout ByteBuffer, malformed: HTTPParseError
    ) throws(HTTPParseError) -> Bool {
        while let first = buffer.readableByte(at: 0) {
            switch first {
            case ASCII.lineFeed:
                buffer.moveReaderIndex(forwardBy: 1)
            case ASCII.carriageReturn:
                guard let second = buffer.readableByte(at: 1) else { return false }
                guard second == ASCII.lineFeed else { throw malformed }
                buffer.moveReaderIndex(forwardBy: 2)
            default:
                return true
            }
        }
        return false
    }

    /// Looks for a line feed followed by an empty line ("\n\r\n" or "\n\n") within the first `limit`
    /// bytes and returns the offset just past it. Otherwise `resume` is left where the next search
    /// must start: a line feed whose following bytes have not arrived yet is looked at again.
    private static func findEnd(in bytes: UnsafeRawBufferPointer, from resume: inout Int, limit: Int) -> Int? {
        let window = min(bytes.count, limit)
        var index = resume
        while let lineFeed = ByteScan.firstLineFeed(in: bytes, from: index, to: window) {
            guard lineFeed + 1 < window else {
                resume = lineFeed
                return nil
            }
            let next = bytes[lineFeed + 1]
            if next == ASCII.lineFeed { return lineFeed + 2 }
            if next == ASCII.carriageReturn {
                guard lineFeed + 2 < window else {
                    resume = lineFeed
                    return nil
                }
                if bytes[lineFeed + 2] == ASCII.lineFeed { return lineFeed + 3 }
            }
            index = lineFeed + 1
        }
        resume = max(index, window)
        return nil
    }
}
