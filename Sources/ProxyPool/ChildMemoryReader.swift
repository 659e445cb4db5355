/// Reads what a child says it allocated from its own output (llama-server's buffer lines or
/// its `memory breakdown` table): one per child, fed on that child's output thread, never under
/// a pool lock. The pool knows no log format; the API layer supplies the reader.
public protocol ChildMemoryReader: Sendable {
    /// One output line (its bytes, without the `\n`); the bytes a report this line completed
    /// says the child holds.
    mutating func feed(_ line: [UInt8]) -> UInt64?
    /// No more lines will come: a report still under way, if it is complete.
    mutating func finish() -> UInt64?
}

/// Feeds a child's lines to its reader while it loads, and a little after: llama-server reports
/// its buffers before it answers `/health`, but the lines may still sit in the pipe when the
/// probe succeeds. Once the child is ready and a report came (or `linesAfterLoad` more lines
/// came without one), the reader is dropped, so a loaded child's request lines cost nothing.
struct ChildMemoryFollower: Sendable {
    static let linesAfterLoad = 200

    private var reader: (any ChildMemoryReader)?
    private var reported = false
    private var readAfterLoad = 0

    init(reader: (any ChildMemoryReader)?) {
        self.reader = reader
    }

    var isFollowing: Bool { reader != nil }

    /// The figures the lines completed, in order.
    mutating func read(_ lines: [[UInt8]], loading: Bool) -> [UInt64] {
        guard var current = reader else { return [] }
        var figures: [UInt64] = []
        for line in lines {
            if let bytes = current.feed(line) { figures.append(bytes) }
        }
        reader = current
        if !figures.isEmpty { reported = true }
        if !loading {
            readAfterLoad += lines.count
            if reported || readAfterLoad >= Self.linesAfterLoad { figures += finish() }
        }
        return figures
    }

    /// The output ended (or following it did).
    mutating func finish() -> [UInt64] {
        defer { reader = nil }
        guard var current = reader, let bytes = current.finish() else { return [] }
        return [bytes]
    }
}
