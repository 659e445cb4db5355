/// The decisions of a `LiveBodyStream`, as a value: bytes offered from any thread wait in a queue
/// bounded in bytes until the loop hands them to a client connection that can take them; an
/// offer that would overfill the queue drops the client instead of waiting for it.
/// `drainPending` is true while a drain is due (scheduled on the loop, or awaited from the
/// connection's "writable again"), so offers in the meantime schedule nothing more.
struct LiveBodyStreamState: Sendable, Equatable {
    enum Phase: Sendable, Equatable {
        /// Made, head not yet sent: offers queue up.
        case waitingForStart
        case open
        /// Overfilled: the next drain drops the client.
        case dropping
        case ended
    }

    enum Offer: Sendable, Equatable {
        /// Queued; `scheduleDrain`: run a drain on the loop.
        case queued(scheduleDrain: Bool)
        /// Over the bound: the bytes are refused, the queue emptied, and a drain must run to drop
        /// the client.
        case overflowed
        /// The stream is over (finished, dropped, or its client gone), or ending.
        case refused
    }

    enum Drain: Sendable, Equatable {
        case send([UInt8])
        /// The connection holds enough already; drain again once it is writable.
        case waitForWritable
        /// The body's last bytes, then its end.
        case finish([UInt8])
        case drop
        case nothing
    }

    let limit: Int
    private(set) var phase = Phase.waitingForStart
    /// `finish` was asked: what is queued still goes out, then the body ends.
    private(set) var finishing = false
    private(set) var queued: [UInt8] = []
    private(set) var drainPending = false
    /// It ended because its client fell behind.
    private(set) var wasDropped = false

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    var isOver: Bool { phase == .ended || phase == .dropping }

    mutating func offer(_ bytes: [UInt8]) -> Offer {
        guard !isOver, !finishing else { return .refused }
        guard queued.count + bytes.count <= limit else {
            phase = .dropping
            wasDropped = true
            queued = []
            drainPending = true
            return .overflowed
        }
        queued += bytes
        guard phase == .open, !drainPending else { return .queued(scheduleDrain: false) }
        drainPending = true
        return .queued(scheduleDrain: true)
    }

    /// The head was sent; the caller drains now (whatever was offered before goes first).
    mutating func started() {
        guard phase == .waitingForStart else { return }
        phase = .open
        drainPending = true
    }

    /// Returns whether a drain must be scheduled to end the body.
    mutating func finish() -> Bool {
        guard !isOver, !finishing else { return false }
        finishing = true
        guard phase == .open, !drainPending else { return false }
        drainPending = true
        return true
    }

    /// On the loop, when a drain runs: `writable` says whether the connection takes more now.
    mutating func drain(writable: Bool) -> Drain {
        switch phase {
        case .waitingForStart, .ended:
            return .nothing
        case .dropping:
            phase = .ended
            drainPending = false
            return .drop
        case .open:
            guard writable else {
                drainPending = true
                return .waitForWritable
            }
            drainPending = false
            var bytes: [UInt8] = []
            swap(&bytes, &queued)
            if finishing {
                phase = .ended
                return .finish(bytes)
            }
            return bytes.isEmpty ? .nothing : .send(bytes)
        }
    }

    /// The response ended on its own (its client gone): nothing more is taken.
    mutating func ended() {
        phase = .ended
        queued = []
        drainPending = false
    }
}
