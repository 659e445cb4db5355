/// Size lines and trailer lines of a chunked body.
extension ChunkedDecoder {
    /// The next line's content (without CRLF) and its length with the ending, or nil until its line
    /// feed arrives. Resumes the search where the previous call stopped.
    mutating func nextLine(
        _ buffer: inout ByteBuffer, limit: Int, tooLong: HTTPParseError
    ) throws(HTTPParseError) -> (content: Range<Int>, consumed: Int)? {
        let window = min(buffer.readableBytes, limit)
        let lineFeed = buffer.withReadableBytes { bytes in
            ByteScan.firstLineFeed(in: bytes, from: lineScanOffset, to: window)
        }
        guard let lineFeed else {
            if buffer.readableBytes >= limit { throw tooLong }
            lineScanOffset = window
            return nil
        }
        lineScanOffset = 0
        let hasCarriageReturn = lineFeed > 0 && buffer.readableByte(at: lineFeed - 1) == ASCII.carriageReturn
        return (0..<(hasCarriageReturn ? lineFeed - 1 : lineFeed), lineFeed + 1)
    }

    /// Hex digits, then optionally whitespace and `;extensions`, which are ignored.
    static func chunkSize(_ line: Range<Int>, in bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
        var size = 0
        var index = line.lowerBound
        while index < line.upperBound, let digit = ASCII.hexValue(bytes[index]) {
            // 15 hex digits cannot overflow Int; more is far beyond any limit anyway.
            guard index - line.lowerBound < 15 else { throw .invalidChunk }
            size = size << 4 | digit
            index += 1
        }
        guard index > line.lowerBound else { throw .invalidChunk }
        while index < line.upperBound && ASCII.isWhitespace(bytes[index]) { index += 1 }
        guard index == line.upperBound || bytes[index] == ASCII.semicolon else { throw .invalidChunk }
        for position in index..<line.upperBound {
            let byte = bytes[position]
            if byte == 0 || byte == ASCII.carriageReturn { throw .invalidChunk }
        }
        return size
    }
}
