/// The last `capacity` lines of one source, oldest first; appending past it overwrites the
/// oldest. A value: copying it (to read it outside a lock) costs nothing until the next append.
struct LogRing: Sendable, Equatable {
    let capacity: Int
    private var storage: [LogLine] = []
    /// Where the oldest line is once the storage is full.
    private var start = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { storage.count }

    mutating func append(_ line: LogLine) {
        if storage.count < capacity {
            storage.append(line)
        } else {
            storage[start] = line
            start = (start + 1) % capacity
        }
    }

    mutating func append(contentsOf lines: [LogLine]) {
        for line in lines.suffix(capacity) { append(line) }
    }

    /// Oldest first.
    var lines: [LogLine] {
        Array(storage[start...] + storage[..<start])
    }
}
