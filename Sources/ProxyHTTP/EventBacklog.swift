/// The events one `StreamHub` client has not taken yet, bounded: a client that falls further
/// behind than `limit` events is to be dropped (`push` returns false), so a client that never
/// reads costs at most `limit` events of memory and never holds up the others. A value: events
/// go in, whether to keep the client comes out, so the rule is tested directly.
struct EventBacklog: Sendable, Equatable {
    let limit: Int
    private var events: [[UInt8]] = []
    private var head = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    var count: Int { events.count - head }
    var isEmpty: Bool { count == 0 }

    /// False: the client is `limit` events behind already; drop it (the event is not kept).
    mutating func push(_ event: [UInt8]) -> Bool {
        guard count < limit else { return false }
        events.append(event)
        return true
    }

    /// The oldest event not yet taken.
    mutating func take() -> [UInt8]? {
        guard head < events.count else { return nil }
        let event = events[head]
        head += 1
        if head == events.count {
            events.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= events.count {
            events.removeFirst(head)
            head = 0
        }
        return event
    }
}
