import HTTPCodec
import Synchronization

/// A response whose body is pushed from any thread for as long as it lasts (a live log, a feed
/// of events). Senders never wait: bytes queue up to `bufferLimit` while the client's connection
/// holds enough already, and a client that falls that far behind is dropped (its connection
/// closed at once) instead of holding anything up. Knows bytes only; the head says what they
/// are (without a Content-Length the responder frames the body: chunked for HTTP/1.1).
/// Whoever sends to it keeps it alive; `onEnded` tells them when to let go.
public final class LiveBodyStream: Sendable {
    private let responder: HTTPResponder
    private let state: Mutex<LiveBodyStreamState>

    public init(responder: HTTPResponder, bufferLimit: Int) {
        self.responder = responder
        state = Mutex(LiveBodyStreamState(limit: bufferLimit))
    }

    /// Loop only: sends `head` and `initial`, then whatever was sent since the stream was made.
    /// `onEnded` runs once, on the loop, when the response ends: finished, dropped or its client
    /// gone (before the responder's own `onEnded`, which is kept).
    public func start(head: HTTPResponseHead, initial: [UInt8], onEnded: @escaping @Sendable () -> Void) {
        responder.loop.assertInLoop()
        guard !responder.isFinished, !responder.isClientGone else {  // gone before it started
            state.withLock { $0.ended() }
            onEnded()
            return
        }
        let earlier = responder.onEnded
        responder.onEnded = { [weak self] in
            self?.state.withLock { $0.ended() }
            onEnded()
            earlier?()
        }
        responder.onWritable = { [weak self] in self?.drain() }
        responder.sendHead(head)
        responder.sendBody(initial[...])
        state.withLock { $0.started() }
        drain()
    }

    /// Any thread. Returns false once the stream takes nothing more (ended, ending, or these
    /// bytes would overfill its buffer: then its client is dropped).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        switch state.withLock({ $0.offer(bytes) }) {
        case .queued(let scheduleDrain):
            if scheduleDrain { self.scheduleDrain() }
            return true
        case .overflowed:
            scheduleDrain()
            return false
        case .refused:
            return false
        }
    }

    /// Any thread: ends the body once what was sent so far went out.
    public func finish() {
        if state.withLock({ $0.finish() }) { scheduleDrain() }
    }

    /// Dropped for falling behind, finished, or its client gone.
    public var isOver: Bool { state.withLock { $0.isOver } }

    /// It ended (or is ending) because its client fell `bufferLimit` bytes behind.
    public var wasDropped: Bool { state.withLock { $0.wasDropped } }

    private func scheduleDrain() {
        responder.loop.execute { [self] in drain() }
    }

    private func drain() {
        responder.loop.assertInLoop()
        let writable = responder.isWritable
        switch state.withLock({ $0.drain(writable: writable) }) {
        case .send(let bytes):
            responder.sendBody(bytes[...])
        case .finish(let bytes):
            responder.sendBody(bytes[...])
            responder.finish()
        case .drop:
            responder.drop()
        case .waitForWritable, .nothing:
            break
        }
    }
}
