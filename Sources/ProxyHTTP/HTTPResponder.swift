import HTTPCodec

/// Writes one response to a client connection. Loop-bound: use it on `loop` only (checked in
/// debug builds).
/// It chooses the framing the client understands: a head with Content-Length is passed through;
/// otherwise HTTP/1.1 clients get chunked encoding and HTTP/1.0 clients a close-delimited body.
public final class HTTPResponder: @unchecked Sendable {
    public let loop: EventLoop
    public let requestHead: HTTPRequestHead
    /// Called once if the client disconnects before the response is finished.
    public var onClientGone: (() -> Void)?
    /// Called when buffered output drained after `isWritable` turned false (back-pressure).
    public var onWritable: (() -> Void)?
    /// Edits the fields of the response head just before it is written, whoever made it (the
    /// application or an upstream server): for headers the application owns on every response.
    /// Framing fields (Content-Length, Transfer-Encoding, Connection) are the responder's.
    public var finalizeHeaders: ((inout HTTPHeaders) -> Void)?
    /// Called once when the response ends: finished, aborted, or its client gone.
    public var onEnded: (() -> Void)?
    public private(set) var status = 0
    public private(set) var bodyBytesSent = 0
    public private(set) var isFinished = false
    public private(set) var headSent = false
    /// The body's end is fixed by a Content-Length: it cannot be ended early in a well-formed
    /// way (with chunked or close-delimited framing, `finish` after fewer bytes is still whole).
    public private(set) var isLengthDelimited = false

    private weak var connection: (any ResponseSink)?
    private var chunked = false
    private var noBody = false

    init(loop: EventLoop, requestHead: HTTPRequestHead, connection: any ResponseSink) {
        self.loop = loop
        self.requestHead = requestHead
        self.connection = connection
    }

    /// False while the client has not taken what was already written (stop reading upstream).
    public var isWritable: Bool { pendingOutputBytes < ServerConnectionStateMachine.outputHighWater }
    /// Written but not yet taken by the client's socket.
    var pendingOutputBytes: Int { connection?.pendingOutputBytes ?? 0 }
    public var isClientGone: Bool { connection == nil || connection?.isClosed == true }

    public func sendHead(_ head: HTTPResponseHead) {
        loop.assertInLoop()
        guard !headSent, let connection else { return }
        headSent = true
        status = head.status
        var head = head
        head.version = .http1_1
        finalizeHeaders?(&head.headers)
        noBody = requestHead.method == "HEAD" || head.status == 204 || head.status == 304 || head.status < 200
        isLengthDelimited = !noBody && head.headers.contains("content-length")
        if !noBody && !head.headers.contains("content-length") {
            if requestHead.version == .http1_1 {
                chunked = true
                head.headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            } else {
                connection.closeAfterResponse()
            }
        }
        if !connection.keepsAliveAfterResponse {
            head.headers.replaceOrAdd(name: "Connection", value: "close")
        } else if requestHead.version == .http1_0 {
            head.headers.replaceOrAdd(name: "Connection", value: "keep-alive")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(256)
        head.write(into: &bytes)
        connection.write(bytes[...])
    }

    public func sendBody(_ bytes: ArraySlice<UInt8>) {
        loop.assertInLoop()
        guard headSent, !isFinished, !noBody, !bytes.isEmpty, let connection else { return }
        bodyBytesSent += bytes.count
        if chunked {
            connection.write(ChunkedEncoding.chunkHeader(length: bytes.count)[...])
            connection.write(bytes)
            connection.write(ChunkedEncoding.chunkTerminator[...])
        } else {
            connection.write(bytes)
        }
    }

    public func finish() {
        loop.assertInLoop()
        guard headSent, !isFinished else { return }
        isFinished = true
        if chunked { connection?.write(ChunkedEncoding.lastChunk[...]) }
        connection?.responseFinished()
        ended()
    }

    /// Ends the response abnormally: the client sees the connection close (a truncated body
    /// it can detect), which is all HTTP/1.1 allows once a head was sent.
    public func abort() {
        loop.assertInLoop()
        guard !isFinished else { return }
        isFinished = true
        connection?.closeAfterFlush()
        ended()
    }

    /// Ends the response and its connection at once, dropping what the client has not taken yet:
    /// for a client too slow for a stream that cannot wait for it.
    public func drop() {
        loop.assertInLoop()
        guard !isFinished else { return }
        isFinished = true
        connection?.closeNow()
        ended()
    }

    /// A whole response in one call.
    public func respond(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8]) {
        var headers = headers
        // A 204 must not carry Content-Length, and on a 304 it would claim the resource is empty
        // (RFC 9110 §8.6); neither has a body to measure.
        if status != 204 && status != 304 && status >= 200 {
            headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        sendHead(HTTPResponseHead(version: .http1_1, status: status, reason: HTTPStatus.reasonPhrase(status), headers: headers))
        sendBody(body[...])
        finish()
    }

    func clientGone() {
        guard !isFinished else { return }
        isFinished = true
        let callback = onClientGone
        onClientGone = nil
        onWritable = nil
        callback?()
        ended()
    }

    private func ended() {
        let callback = onEnded
        onEnded = nil
        callback?()
    }

    func outputDrained() { onWritable?() }
}
