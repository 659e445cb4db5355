import HTTPCodec

/// The server side of one HTTP/1.1 connection as a value type: bytes, clock ticks and output
/// progress in, actions out. It owns parsing, timeouts, the keep-alive decision and the output
/// side of pipelining (as SwiftNIO's pipelining handler does): one request at a time is handed
/// to the application, and the next one only once the previous response is finished and the
/// client has taken most of it. It does no I/O, so it is tested byte by byte with a fake clock.
///
/// Finishing a response never delivers the next request from inside that call: the connection's
/// drive loop asks `nextAction` again, so a thousand pipelined requests cost a thousand loop
/// iterations, not a thousand stack frames.
public struct ServerConnectionStateMachine: Sendable {
    /// Above this much unsent output the next pipelined request waits (and reading pauses)
    /// until the client has taken its earlier responses.
    public static let outputHighWater = 256 * 1024

    public struct Timeouts: Sendable {
        /// A request head must arrive within this after its first byte (or after accept).
        public var requestHeader: UInt64?
        /// An idle keep-alive connection is closed after this.
        public var keepAlive: UInt64?
        public init(requestHeader: UInt64?, keepAlive: UInt64?) {
            self.requestHeader = requestHeader
            self.keepAlive = keepAlive
        }
    }

    public enum Action: Sendable, Equatable {
        /// Answer `Expect: 100-continue`.
        case sendContinue
        /// A whole request is ready for the application.
        case deliver(HTTPRequestHead, body: [UInt8])
        /// Reply with an error and close (malformed input, limits, timeouts).
        case sendErrorAndClose(status: Int, message: String)
        /// The client went away while its response was under way: abandon it.
        case abortResponse
        case close
    }

    enum State: Sendable {
        /// Waiting for a request; `started` once any byte of it arrived.
        case awaitingHead(since: UInt64, started: Bool, firstOnConnection: Bool)
        /// `since`: when the last body bytes arrived.
        case readingBody(HTTPRequestHead, body: [UInt8], since: UInt64)
        case responding(keepAlive: Bool)
        /// The response is finished but the client has not taken enough of the output yet.
        case draining
        case closed
    }

    public private(set) var buffer = ByteBuffer(capacity: 16 * 1024)
    private var parser: HTTPRequestParser
    private(set) var state: State
    private let timeouts: Timeouts
    private var inputClosed = false

    public init(now: UInt64, limits: HTTPParserLimits, timeouts: Timeouts) {
        parser = HTTPRequestParser(limits: limits)
        state = .awaitingHead(since: now, started: false, firstOnConnection: true)
        self.timeouts = timeouts
    }

    public var isClosed: Bool { if case .closed = state { true } else { false } }
    public var isResponding: Bool { if case .responding = state { true } else { false } }
    /// Whether the connection stays open after the current response.
    public var keepsAlive: Bool {
        if case .responding(let keepAlive) = state { keepAlive && !inputClosed } else { false }
    }
    /// While a response is under way (or draining) further input is only buffered; past this
    /// much we stop reading.
    public var wantsMoreInput: Bool {
        switch state {
        case .responding, .draining: buffer.readableBytes < 64 * 1024
        default: true
        }
    }

    /// Lets the transport append what it read (`read(2)` straight into the buffer).
    public mutating func withInputBuffer<R>(_ body: (inout ByteBuffer) -> R) -> R { body(&buffer) }

    /// Call after appending bytes, and again while it returns an action.
    public mutating func nextAction(now: UInt64) -> Action? {
        switch state {
        case .awaitingHead(let since, let started, let first):
            if !started && !buffer.isEmpty {
                state = .awaitingHead(since: first ? since : now, started: true, firstOnConnection: first)
            }
            return parse(now: now)
        case .readingBody:
            return parse(now: now)
        case .responding:
            return inputClosed ? abandon() : nil
        case .draining, .closed:
            return nil
        }
    }

    /// The response must end the connection (e.g. a close-delimited body for an HTTP/1.0 client).
    public mutating func closeAfterResponse() {
        if case .responding = state { state = .responding(keepAlive: false) }
    }

    /// The application finished writing its response; `pendingOutput` bytes are not yet sent.
    /// Returns `.close` when the connection ends here; otherwise the next request comes from
    /// `nextAction` (never from here), once the output is below the high-water mark.
    public mutating func responseFinished(now: UInt64, pendingOutput: Int) -> Action? {
        guard case .responding(let keepAlive) = state else { return nil }
        guard keepAlive && !inputClosed else {
            state = .closed
            return .close
        }
        if pendingOutput > Self.outputHighWater {
            state = .draining
        } else {
            state = .awaitingHead(since: now, started: false, firstOnConnection: false)
        }
        return nil
    }

    /// The client took the output; a draining connection may read its next request (true when
    /// it was waiting for that).
    public mutating func outputDrained(now: UInt64) -> Bool {
        guard case .draining = state else { return false }
        state = .awaitingHead(since: now, started: false, firstOnConnection: false)
        return true
    }

    /// The peer closed its side (read returned 0).
    public mutating func peerClosed() -> Action? {
        inputClosed = true
        switch state {
        case .responding: return abandon()
        case .closed: return nil
        case .draining:
            // The answers already written still go out; nothing more will be asked.
            state = .closed
            return .close
        default:
            state = .closed
            return .close
        }
    }

    /// Clock tick: enforces the header and idle timeouts, and stops a body that stalls for as long
    /// as a head may take (a slow upload that keeps sending is never cut off).
    public mutating func tick(now: UInt64) -> Action? {
        if case .readingBody(_, _, let lastProgress) = state {
            guard let limit = timeouts.requestHeader, now >= lastProgress &+ limit else { return nil }
            state = .closed
            return .sendErrorAndClose(status: 408, message: "request body stalled")
        }
        guard case .awaitingHead(let since, let started, let first) = state else { return nil }
        if started || first {
            if let limit = timeouts.requestHeader, now >= since &+ limit {
                state = .closed
                return started ? .sendErrorAndClose(status: 408, message: "request head not received in time") : .close
            }
        } else if let limit = timeouts.keepAlive, now >= since &+ limit {
            state = .closed
            return .close
        }
        return nil
    }

    private mutating func abandon() -> Action {
        state = .closed
        return .abortResponse
    }

    private mutating func parse(now: UInt64) -> Action? {
        do {
            while let part = try parser.next(&buffer) {
                switch part {
                case .head(let head):
                    state = .readingBody(head, body: [], since: now)
                    if head.expectsContinue && Self.announcesBody(head) { return .sendContinue }
                case .body(let bytes):
                    guard case .readingBody(let head, var body, _) = state else { continue }
                    state = .closed  // drop the reference so `body` appends in place
                    body.append(contentsOf: bytes)
                    state = .readingBody(head, body: body, since: now)
                case .end:
                    guard case .readingBody(let head, let body, _) = state else { continue }
                    state = .responding(keepAlive: head.keepAlive)
                    return .deliver(head, body: body)
                }
            }
            if inputClosed {
                state = .closed
                return .close
            }
            return nil
        } catch {
            state = .closed
            return .sendErrorAndClose(status: error.status, message: error.message)
        }
    }

    private static func announcesBody(_ head: HTTPRequestHead) -> Bool {
        if head.headers.contains("transfer-encoding") { return true }
        if let length = head.headers["content-length"], let value = Int(length) { return value > 0 }
        return false
    }
}
