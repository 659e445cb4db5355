import HTTPCodec

/// A `text/event-stream` response whose head goes out before its content is known. While the
/// application waits (for a model to load, say) it keeps the client's connection busy with
/// comment lines or events of its own; then `ReverseProxy.forward(continuing:)` relays an
/// upstream event stream's body into it, or `fail` ends it with an error event. Knows bytes and
/// lines only, nothing of what they mean. Loop-bound, like its responder (checked in debug
/// builds); Sendable only so callbacks that hop to that loop can carry it.
public final class EarlyEventStream: @unchecked Sendable {
    public let responder: HTTPResponder
    /// What was sent so far, so whatever follows starts at an event boundary.
    private(set) var tracker = ServerSentEventStream()

    public init(responder: HTTPResponder) {
        self.responder = responder
    }

    /// The head was sent: from now on the response can only be ended by an event.
    public var isStarted: Bool { responder.headSent }

    /// Sends the head (200, `text/event-stream`, `no-cache`) unless a head was already sent.
    public func start() {
        responder.loop.assertInLoop()
        guard !responder.headSent else { return }
        responder.sendHead(HTTPResponseHead(status: 200, headers: HTTPHeaders([
            ("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"),
        ])))
    }

    /// One comment (`: text`, a line each for a text of several lines) and a blank line; clients
    /// skip comments, so they only keep the connection from looking idle.
    public func sendComment(_ text: String) {
        relay(ServerSentEventStream.commentEvent(text))
    }

    /// One event whose data is `data` (a line of `data:` per line of it).
    public func sendEvent(data: [UInt8]) {
        relay(ServerSentEventStream.dataEvent(data))
    }

    /// Ends the stream with an OpenAI-shaped error event.
    public func fail(message: String, type: String, code: String) {
        relay(tracker.errorEvent(message: message, type: type, code: code))
        responder.finish()
    }

    private func relay(_ bytes: [UInt8]) {
        responder.loop.assertInLoop()
        guard responder.headSent, !responder.isFinished else { return }
        tracker.relayed(bytes[...])
        responder.sendBody(bytes[...])
    }
}
