import ProxyPool
import Synchronization

/// The last lines of the proxy's own log and of each model's children, a bounded ring per source
/// (`limits.log_lines`), and the live readers of them. Appends take one short lock and never
/// wait for a reader: a reader gets each line through `LogSubscriber.send`, which only queues
/// it (a reader too slow for its buffer is dropped by its stream, and forgotten here).
/// A child's lines are kept under its model id across its restarts; each start and exit of a
/// process adds a marker line (`--- process started pid=N`, `--- process restarted pid=N
/// (start 2)`, `--- process ended: ...`).
final class LogStore: Sendable {
    /// Lines longer than this (in bytes, after escaping) are cut: a child's are already cut at
    /// 1000 bytes as read, the proxy's own lines are shorter.
    static let maximumLineBytes = 4096

    struct Snapshot: Sendable {
        var lines: [LogLine]

        /// Everything, in order, as one text.
        var text: [UInt8] { lines.reduce(into: [UInt8]()) { $0 += $1.bytes } }
    }

    private struct Subscription: Sendable {
        let selector: LogSelector
        let subscriber: any LogSubscriber
    }

    private struct State: Sendable {
        var rings: [LogSource: LogRing] = [:]
        var nextSequence: UInt64 = 0
        var subscriptions: [Int: Subscription] = [:]
        var nextSubscription = 0
        /// Processes started, per model id.
        var starts: [String: Int] = [:]
        var closed = false
    }

    let linesPerSource: Int
    private let state = Mutex(State())

    init(linesPerSource: Int) {
        self.linesPerSource = max(1, linesPerSource)
    }

    /// One line of the proxy's own log (the message as `Logger` writes it; `time` its stamp).
    func appendProxy(_ message: String, time: String) {
        append([LogEscaping.escape(message, limit: Self.maximumLineBytes, escapingQuotes: false)], source: .proxy, time: time)
    }

    /// What the pool says of a model's children.
    func record(_ event: ChildLogEvent, time: String) {
        switch event {
        case .started(let modelID, let pid):
            let start = state.withLock { state -> Int in
                let start = state.starts[modelID, default: 0] + 1
                state.starts[modelID] = start
                return start
            }
            let marker = start == 1 ? "--- process started pid=\(pid)" : "--- process restarted pid=\(pid) (start \(start))"
            append([marker], source: .model(modelID), time: time)
        case .lines(let modelID, let lines):
            append(lines.map(Self.text), source: .model(modelID), time: time)
        case .exited(let modelID, let description):
            append(["--- process ended: \(LogEscaping.escape(description, limit: Self.maximumLineBytes, escapingQuotes: false))"],
                   source: .model(modelID), time: time)
        }
    }

    /// Whether lines of this model were ever kept.
    func knows(modelID: String) -> Bool {
        state.withLock { $0.rings[.model(modelID)] != nil }
    }

    /// The kept lines `selector` picks, oldest first, the last `last` of them when given.
    func history(_ selector: LogSelector, last: Int? = nil) -> Snapshot {
        let rings = state.withLock { Self.rings(selector, in: $0) }
        return Self.merge(rings, last: last)
    }

    /// Registers a live reader of what `selector` picks and returns its id with the history it
    /// should send first (nil when not asked for): taken under the same lock, so no line is both
    /// in it and sent live, or in neither. Returns nil when the store is closed.
    func subscribe(_ selector: LogSelector, history: Bool, last: Int? = nil,
                   _ subscriber: any LogSubscriber) -> (id: Int, history: Snapshot)? {
        let taken = state.withLock { state -> (Int, [LogRing])? in
            guard !state.closed else { return nil }
            let id = state.nextSubscription
            state.nextSubscription += 1
            state.subscriptions[id] = Subscription(selector: selector, subscriber: subscriber)
            return (id, history ? Self.rings(selector, in: state) : [])
        }
        guard let (id, rings) = taken else { return nil }
        return (id, Self.merge(rings, last: last))
    }

    func unsubscribe(_ id: Int) {
        _ = state.withLock { $0.subscriptions.removeValue(forKey: id) }
    }

    var subscriberCount: Int { state.withLock { $0.subscriptions.count } }

    /// The proxy stops: every live reader ends after what it was sent; none is taken any more.
    func close() {
        let subscribers = state.withLock { state -> [any LogSubscriber] in
            state.closed = true
            defer { state.subscriptions = [:] }
            return state.subscriptions.values.map(\.subscriber)
        }
        for subscriber in subscribers { subscriber.finish() }
    }

    /// Renders outside the lock; under it, only ring appends and hand-offs to readers, nothing
    /// that waits.
    private func append(_ texts: [String], source: LogSource, time: String) {
        guard !texts.isEmpty else { return }
        let rendered = texts.map { LogLine.render(source: source, time: time, text: $0) }
        state.withLock { state in
            let first = state.nextSequence
            state.nextSequence += UInt64(rendered.count)
            let lines = rendered.enumerated().map { LogLine(sequence: first + UInt64($0.offset), source: source, bytes: $0.element) }
            state.rings[source, default: LogRing(capacity: linesPerSource)].append(contentsOf: lines)
            guard !state.subscriptions.isEmpty else { return }
            let bytes = rendered.count == 1 ? rendered[0] : rendered.reduce(into: [UInt8]()) { $0 += $1 }
            var gone: [Int] = []
            for (id, subscription) in state.subscriptions where subscription.selector.matches(source) {
                if !subscription.subscriber.send(bytes) { gone.append(id) }
            }
            for id in gone { state.subscriptions[id] = nil }
        }
    }

    private static func rings(_ selector: LogSelector, in state: State) -> [LogRing] {
        state.rings.filter { selector.matches($0.key) }.map(\.value)
    }

    /// Outside the lock: the rings' lines in sequence order.
    private static func merge(_ rings: [LogRing], last: Int?) -> Snapshot {
        var lines = rings.count == 1 ? rings[0].lines : rings.flatMap(\.lines).sorted { $0.sequence < $1.sequence }
        if let last, last < lines.count { lines.removeFirst(lines.count - max(0, last)) }
        return Snapshot(lines: lines)
    }

    /// A child's line as text: a trailing `\r` dropped, then escaped.
    private static func text(_ bytes: [UInt8]) -> String {
        let trimmed = bytes.last == UInt8(ascii: "\r") ? Array(bytes.dropLast()) : bytes
        return LogEscaping.escape(bytes: trimmed, limit: maximumLineBytes, escapingQuotes: false)
    }
}
