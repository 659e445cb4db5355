/// Decodes a chunked body (RFC 9112 §7.1): hex size lines with optional extensions, data, CRLF,
/// a zero-size last chunk, then trailer fields, which are checked and dropped.
struct ChunkedDecoder: Sendable {
    /// A size line longer than this (extensions included) is refused rather than buffered.
    static let maxSizeLineBytes = 4096

    private enum State: Sendable {
        case sizeLine
        case data(remaining: Int)
        case dataEnd
        case trailers(bytesSeen: Int)
        case done
    }

    private var state = State.sizeLine
    /// Readable bytes of the current line already searched for its line feed.
    var lineScanOffset = 0
    private var bodyBytes = 0
    private let maxBodyBytes: Int
    private let maxTrailerBytes: Int

    init(limits: HTTPParserLimits) {
        maxBodyBytes = limits.maxBodyBytes
        maxTrailerBytes = limits.maxHeaderBytes
    }

    mutating func next(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> BodyEvent? {
        while true {
            switch state {
            case .sizeLine:
                guard let line = try nextLine(&buffer, limit: Self.maxSizeLineBytes, tooLong: .invalidChunk) else { return nil }
                let size = try buffer.withReadableBytes { bytes throws(HTTPParseError) in try Self.chunkSize(line.content, in: bytes) }
                buffer.moveReaderIndex(forwardBy: line.consumed)
                if size > maxBodyBytes - bodyBytes { throw .bodyTooLarge }
                bodyBytes += size
                state = size == 0 ? .trailers(bytesSeen: 0) : .data(remaining: size)
            case .data(let remaining):
                guard !buffer.isEmpty else { return nil }
                let slice = buffer.readSlice(length: remaining)
                state = slice.count == remaining ? .dataEnd : .data(remaining: remaining - slice.count)
                return .data(slice)
            case .dataEnd:
                guard let first = buffer.readableByte(at: 0) else { return nil }
                var length = 1
                if first == ASCII.carriageReturn {
                    guard let second = buffer.readableByte(at: 1) else { return nil }
                    guard second == ASCII.lineFeed else { throw .invalidChunk }
                    length = 2
                } else if first != ASCII.lineFeed {
                    throw .invalidChunk
                }
                buffer.moveReaderIndex(forwardBy: length)
                state = .sizeLine
            case .trailers(let bytesSeen):
                let limit = maxTrailerBytes - bytesSeen
                guard let line = try nextLine(&buffer, limit: limit, tooLong: .headerTooLarge) else { return nil }
                if !line.content.isEmpty {
                    _ = try buffer.withReadableBytes { bytes throws(HTTPParseError) in
                        try HTTPHeaders.parseField(line.content, in: bytes, malformed: .invalidChunk)
                    }
                }
                buffer.moveReaderIndex(forwardBy: line.consumed)
                state = line.content.isEmpty ? .done : .trailers(bytesSeen: bytesSeen + line.consumed)
            case .done:
                return .end
            }
        }
    }
}
