import HTTPCodec
import ProxyTime
import Synchronization

/// One `text/event-stream` fanned out to many clients: what is published goes to every
/// subscriber, each on its own loop, through its own bounded `EventBacklog`; a client that falls
/// `bufferLimit` events behind (it stopped reading) is dropped, so nobody ever waits for it.
/// While anyone listens, a heartbeat goes out every `heartbeatSeconds` (what `heartbeat` returns
/// then: a comment by default), so idle streams stay open through proxies. Knows bytes and
/// events only, nothing of what they mean. `publish` and `subscribe` may be called from any
/// thread and never block (they take one short lock and hand work to the clients' loops).
public final class StreamHub: Sendable {
    private struct State {
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 1
        var heartbeat: TimerThread.Token?
        /// `finishAll` was called: a stream that starts now gets its first event and ends.
        var isFinished = false
    }

    private let bufferLimit: Int
    private let heartbeatNanoseconds: UInt64
    private let heartbeat: @Sendable () -> [UInt8]
    private let state = Mutex(State())
    private let subscriberCount = Atomic<Int>(0)

    /// `heartbeat`: what goes out at each beat (nil: a `: heartbeat` comment).
    public init(bufferLimit: Int, heartbeatSeconds: Double, heartbeat: (@Sendable () -> [UInt8])? = nil) {
        self.bufferLimit = bufferLimit
        heartbeatNanoseconds = max(1_000_000, UInt64(min(heartbeatSeconds, 1e9) * 1_000_000_000))
        self.heartbeat = heartbeat ?? { ServerSentEventStream.commentEvent("heartbeat") }
    }

    /// An event whose data is `data` (a `data:` line per line of it), to publish.
    public static func event(data: [UInt8]) -> [UInt8] {
        ServerSentEventStream.dataEvent(data)
    }

    /// A comment event (clients skip it), to publish.
    public static func comment(_ text: String) -> [UInt8] {
        ServerSentEventStream.commentEvent(text)
    }

    /// Clients listening now (cheap: read on every pool step).
    public var subscribers: Int { subscriberCount.load(ordering: .relaxed) }

    /// Starts `responder`'s event stream: `first` (whole events, e.g. a snapshot), then whatever
    /// is published from now on. It ends when its client goes away or falls too far behind.
    public func subscribe(_ responder: HTTPResponder, first: [UInt8]) {
        let subscriber = Subscriber(responder: responder, backlog: EventBacklog(limit: bufferLimit))
        let (armHeartbeat, finished) = state.withLock { state -> (Bool, Bool) in
            if state.isFinished { return (false, true) }
            let id = state.nextID
            state.nextID += 1
            subscriber.id = id
            state.subscribers[id] = subscriber
            subscriberCount.store(state.subscribers.count, ordering: .relaxed)
            return (state.heartbeat == nil, false)
        }
        responder.loop.execute { [self] in
            subscriber.start(first: first, hub: self)
            if finished { subscriber.finish(hub: self) }
        }
        if armHeartbeat { scheduleHeartbeat() }
    }

    /// Sends `event` (whole events' bytes, e.g. `ServerSentEventStream.dataEvent`) to every subscriber.
    public func publish(_ event: [UInt8]) {
        let current = state.withLock { Array($0.subscribers.values) }
        for subscriber in current {
            subscriber.responder.loop.execute { [self] in subscriber.deliver(event, hub: self) }
        }
    }

    /// Ends every stream properly (its body's end is sent), and each one started later after its
    /// first event: for a server that shuts down, where an event stream, which never ends by
    /// itself, must not hold up the graceful stop.
    public func finishAll() {
        let current = state.withLock { state -> [Subscriber] in
            state.isFinished = true
            let all = Array(state.subscribers.values)
            state.subscribers.removeAll()
            subscriberCount.store(0, ordering: .relaxed)
            return all
        }
        for subscriber in current {
            subscriber.responder.loop.execute { [self] in subscriber.finish(hub: self) }
        }
    }

    func remove(_ subscriber: Subscriber) {
        state.withLock { state in
            state.subscribers[subscriber.id] = nil
            subscriberCount.store(state.subscribers.count, ordering: .relaxed)
        }
    }

    private func scheduleHeartbeat() {
        let token = TimerThread.shared.schedule(at: MonotonicClock.now() &+ heartbeatNanoseconds) { [weak self] in
            self?.heartbeatFired()
        }
        state.withLock { $0.heartbeat = token }
    }

    private func heartbeatFired() {
        let listening = state.withLock { state -> Bool in
            state.heartbeat = nil
            return !state.subscribers.isEmpty
        }
        guard listening else { return }
        publish(heartbeat())
        // A subscriber that joins between here and the next line arms its own; one timer is kept.
        let rearm = state.withLock { $0.heartbeat == nil && !$0.subscribers.isEmpty }
        if rearm { scheduleHeartbeat() }
    }

    /// One client: its backlog, and the response it is written to. Loop-bound but for `id`
    /// (set once, under the hub's lock, before it reaches the loop).
    final class Subscriber: @unchecked Sendable {
        let responder: HTTPResponder
        var id = 0
        private var backlog: EventBacklog
        private var isClosed = false

        init(responder: HTTPResponder, backlog: EventBacklog) {
            self.responder = responder
            self.backlog = backlog
        }

        func start(first: [UInt8], hub: StreamHub) {
            responder.loop.assertInLoop()
            responder.onClientGone = { [self] in close(hub: hub) }
            responder.onWritable = { [self] in flush() }
            responder.sendHead(HTTPResponseHead(status: 200, headers: HTTPHeaders([
                ("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no"),
            ])))
            deliver(first, hub: hub)
        }

        func deliver(_ event: [UInt8], hub: StreamHub) {
            responder.loop.assertInLoop()
            guard !isClosed, responder.headSent else { return }
            guard !responder.isClientGone else { return close(hub: hub) }
            guard backlog.push(event) else {
                // Too far behind: its connection closes (it sees the stream cut and may reconnect).
                responder.abort()
                return close(hub: hub)
            }
            flush()
        }

        func finish(hub: StreamHub) {
            responder.loop.assertInLoop()
            guard !isClosed else { return }
            close(hub: hub)
            responder.finish()
        }

        private func flush() {
            while !isClosed, responder.isWritable, let event = backlog.take() {
                responder.sendBody(event[...])
            }
        }

        private func close(hub: StreamHub) {
            guard !isClosed else { return }
            isClosed = true
            responder.onWritable = nil  // the responder keeps its callbacks: no cycle left behind
            responder.onClientGone = nil
            hub.remove(self)
        }
    }
}
