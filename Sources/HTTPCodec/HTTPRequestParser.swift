/// Incremental HTTP/1.1 request parser: feed it a buffer as bytes arrive and it yields the head,
/// the body in pieces, then the end, one part per call. No I/O; the caller owns the buffer.
public struct HTTPRequestParser: Sendable {
    private enum State: Sendable {
        case head(HeadScanner)
        case body(BodyDecoder)
        /// The head of a message without a body was returned; `.end` comes next.
        case endPending
        /// Parsing cannot resume after an error; every later call repeats it.
        case failed(HTTPParseError)
    }

    private let limits: HTTPParserLimits
    private var state = State.head(HeadScanner())

    public init(limits: HTTPParserLimits = .init()) {
        self.limits = limits
    }

    /// Consumes from `buffer` and returns the next part, or nil when more bytes are needed.
    /// After `.end` it is ready for the next (pipelined) request; bytes after it stay in `buffer`.
    /// Body bytes are returned as slices of the buffer's storage (consumed from it). A request with
    /// neither Content-Length nor Transfer-Encoding has no body (.head then .end).
    public mutating func next(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> HTTPRequestPart? {
        do {
            return try step(&buffer)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> HTTPRequestPart? {
        switch state {
        case .head(var scanner):
            let length = try scanner.scan(&buffer, limit: limits.maxHeaderBytes, malformedStart: .malformedRequestLine)
            guard let length else {
                state = .head(scanner)
                return nil
            }
            let head = try buffer.withReadableBytes { bytes throws(HTTPParseError) in
                try HTTPRequestHead.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
            }
            buffer.moveReaderIndex(forwardBy: length)
            let framing = try head.headers.requestFraming(maxBodyBytes: limits.maxBodyBytes)
            state = framing == .none ? .endPending : .body(BodyDecoder(framing: framing, limits: limits))
            return .head(head)
        case .body(var decoder):
            let event = try decoder.next(&buffer)
            switch event {
            case .data(let bytes)?:
                state = .body(decoder)
                return .body(bytes)
            case .end?:
                state = .head(HeadScanner())
                return .end
            case nil:
                state = .body(decoder)
                return nil
            }
        case .endPending:
            state = .head(HeadScanner())
            return .end
        case .failed(let error):
            throw error
        }
    }
}
