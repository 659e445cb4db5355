/// Incremental HTTP/1.1 response parser for the upstream side of the proxy. Interim 1xx responses
/// (except 101) are skipped; 204, 304, 1xx and answers to HEAD have no body; otherwise the body is
/// framed by Content-Length, chunked, or the connection closing. Bodies are not size-limited.
public struct HTTPResponseParser: Sendable {
    private enum State: Sendable {
        case head(HeadScanner)
        case body(BodyDecoder)
        case endPending
        case failed(HTTPParseError)
    }

    private let limits: HTTPParserLimits
    private var state = State.head(HeadScanner())
    private var answersHeadRequest = false

    public init(limits: HTTPParserLimits = .init()) {
        var limits = limits
        limits.maxBodyBytes = .max
        self.limits = limits
    }

    /// Call before each response is parsed: the method of the request it answers (HEAD has no body).
    public mutating func expectResponse(toMethod method: String) {
        answersHeadRequest = method == "HEAD"
    }

    /// Whether the body being read ends only when the upstream closes; such a connection cannot be
    /// reused.
    public var readsUntilClose: Bool {
        if case .body(let decoder) = state { decoder.readsUntilClose } else { false }
    }

    /// Consumes from `buffer` and returns the next part, or nil when more bytes are needed.
    public mutating func next(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> HTTPResponsePart? {
        do {
            return try step(&buffer)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// The upstream closed: `.end` for a close-delimited body, nil if idle between messages,
    /// throws `.unexpectedEnd` mid-head or mid-body. Call `next` first with whatever arrived last.
    public mutating func inputClosed() throws(HTTPParseError) -> HTTPResponsePart? {
        switch state {
        case .head(let scanner):
            guard scanner.hasStarted else { return nil }
        case .body(let decoder):
            guard decoder.readsUntilClose else { break }
            finishMessage()
            return .end
        case .endPending:
            finishMessage()
            return .end
        case .failed(let error):
            throw error
        }
        state = .failed(.unexpectedEnd)
        throw .unexpectedEnd
    }

    private mutating func step(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> HTTPResponsePart? {
        switch state {
        case .head(var scanner):
            // Loops only to skip interim responses.
            while true {
                let length = try scanner.scan(&buffer, limit: limits.maxHeaderBytes, malformedStart: .malformedStatusLine)
                guard let length else {
                    state = .head(scanner)
                    return nil
                }
                let head = try buffer.withReadableBytes { bytes throws(HTTPParseError) in
                    try HTTPResponseHead.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
                }
                buffer.moveReaderIndex(forwardBy: length)
                if head.status / 100 == 1 && head.status != 101 { continue }
                let framing = try bodyFraming(of: head)
                state = framing == .none ? .endPending : .body(BodyDecoder(framing: framing, limits: limits))
                return .head(head)
            }
        case .body(var decoder):
            let event = try decoder.next(&buffer)
            switch event {
            case .data(let bytes)?:
                state = .body(decoder)
                return .body(bytes)
            case .end?:
                finishMessage()
                return .end
            case nil:
                state = .body(decoder)
                return nil
            }
        case .endPending:
            finishMessage()
            return .end
        case .failed(let error):
            throw error
        }
    }

    private func bodyFraming(of head: HTTPResponseHead) throws(HTTPParseError) -> BodyFraming {
        if answersHeadRequest || head.status / 100 == 1 || head.status == 204 || head.status == 304 {
            return BodyFraming.none
        }
        return try head.headers.responseFraming()
    }

    private mutating func finishMessage() {
        state = .head(HeadScanner())
        answersHeadRequest = false
    }
}
