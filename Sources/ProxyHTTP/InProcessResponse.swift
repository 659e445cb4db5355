import HTTPCodec

/// A response read in this process instead of written to a client's socket: its responder is
/// handed to the application like a client's, and what it writes is parsed back into a status,
/// headers, body pieces and an end for the consumer. `cancel()` is a client that goes away: the
/// responder's `onClientGone` runs (a proxied request stops its upstream, freeing its slot).
/// Loop-bound; the owner keeps it alive until `onEnd` (the responder holds it weakly).
public final class InProcessResponse: ResponseSink, @unchecked Sendable {
    public struct Events {
        public var head: (HTTPResponseHead) -> Void
        public var body: (ArraySlice<UInt8>) -> Void
        /// Exactly once: `complete` false for a response cut short (aborted, cancelled, malformed).
        public var end: (_ complete: Bool) -> Void

        public init(head: @escaping (HTTPResponseHead) -> Void, body: @escaping (ArraySlice<UInt8>) -> Void,
                    end: @escaping (_ complete: Bool) -> Void) {
            self.head = head
            self.body = body
            self.end = end
        }
    }

    public private(set) var responder: HTTPResponder!
    private var events: Events?
    private var parser = HTTPResponseParser()
    private var buffer = ByteBuffer()
    private(set) var isClosed = false

    public init(loop: EventLoop, requestHead: HTTPRequestHead, events: Events) {
        self.events = events
        parser.expectResponse(toMethod: requestHead.method)
        responder = HTTPResponder(loop: loop, requestHead: requestHead, connection: self)
    }

    /// The consumer is gone: the application sees its client leave.
    public func cancel() {
        responder.loop.assertInLoop()
        guard !isClosed else { return }
        responder.clientGone()
        end(complete: false)
    }

    /// What the consumer has not taken yet, for back-pressure: an application that reads it (a
    /// proxied upstream) pauses while it is at `ServerConnectionStateMachine.outputHighWater` or
    /// more, until `consumerDrained()`. Nil: taken as soon as it is written.
    public var consumerPendingBytes: (() -> Int)?
    var pendingOutputBytes: Int { consumerPendingBytes?() ?? 0 }

    /// The consumer took what it had pending: a paused application goes on.
    public func consumerDrained() {
        responder.loop.assertInLoop()
        guard !isClosed else { return }
        responder.outputDrained()
    }

    /// Pending bytes that make the application pause (see `consumerPendingBytes`).
    public static let pausing = ServerConnectionStateMachine.outputHighWater
    var keepsAliveAfterResponse: Bool { false }
    func closeAfterResponse() {}

    func write(_ bytes: ArraySlice<UInt8>) {
        guard !isClosed else { return }
        buffer.append(bytes)
        do {
            while !isClosed, let part = try parser.next(&buffer) {
                switch part {
                case .head(let head): events?.head(head)
                case .body(let piece): events?.body(piece)
                case .end: end(complete: true)
                }
            }
        } catch {
            end(complete: false)
        }
    }

    func responseFinished() {
        guard !isClosed else { return }
        if case .end? = try? parser.inputClosed() { end(complete: true) } else { end(complete: false) }
    }

    func closeNow() { end(complete: false) }
    func closeAfterFlush() { end(complete: false) }

    private func end(complete: Bool) {
        guard !isClosed, let events else { return }
        isClosed = true
        self.events = nil  // the consumer's closures (and what they hold) go now
        events.end(complete)
    }
}
