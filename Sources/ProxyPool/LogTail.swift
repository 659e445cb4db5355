/// The last lines a child wrote, for error messages. Bytes arrive in arbitrary chunks; a line
/// is complete at '\n', and an unfinished one still shows in `lines` (a crash rarely ends
/// with a newline). Overlong lines are cut so a child cannot make us hoard memory.
///
/// Lines mentioning `/health` are dropped: llama-server may log every health request, and
/// those are our own probes, which would crowd out the lines that explain a failure.
///
/// A loaded llama-server logs about ten lines per request, so lines stay bytes here (no String
/// work per line); they become text only when someone reads `lines`.
struct LogTail: Sendable {
    let capacity: Int
    let maximumLineBytes: Int
    private var complete: [[UInt8]] = []
    private var partial: [UInt8] = []

    init(capacity: Int = 30, maximumLineBytes: Int = 1000) {
        self.capacity = capacity
        self.maximumLineBytes = maximumLineBytes
    }

    var lines: [String] {
        var kept = complete
        if !partial.isEmpty && !Self.isProbeEcho(partial[...]) { kept.append(partial) }
        return kept.suffix(capacity).map(Self.text)
    }

    /// Returns whether the bytes held news: a kept line, finished or not. Output that only
    /// echoes our probes must not count, or each probe would trigger the next.
    @discardableResult
    mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool where Bytes.SubSequence: Collection<UInt8> {
        var ignored: [[UInt8]] = []
        return append(bytes, finished: &ignored)
    }

    /// Also adds each line it finished and kept (as bytes, without its `\n`) to `finished`.
    @discardableResult
    mutating func append<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, finished: inout [[UInt8]]
    ) -> Bool where Bytes.SubSequence: Collection<UInt8> {
        var news = false
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            appendToPartial(rest[..<newline])
            if finishLine() {
                news = true
                finished.append(complete[complete.count - 1])
            }
            rest = rest[rest.index(after: newline)...]
        }
        appendToPartial(rest)
        return news || (!partial.isEmpty && !Self.isProbeEcho(partial[...]))
    }

    /// The output ended: an unfinished last line counts as finished. Returns it, unless there was
    /// none (or it only echoed a probe).
    mutating func finishUnfinished() -> [UInt8]? {
        guard !partial.isEmpty, finishLine() else { return nil }
        return complete.last
    }

    private mutating func appendToPartial<Part: Collection<UInt8>>(_ bytes: Part) {
        let room = maximumLineBytes - partial.count
        guard room > 0 else { return }
        partial.append(contentsOf: bytes.prefix(room))
    }

    private mutating func finishLine() -> Bool {
        defer { partial.removeAll(keepingCapacity: true) }
        guard !Self.isProbeEcho(partial[...]) else { return false }
        complete.append(partial)
        if complete.count > capacity { complete.removeFirst(complete.count - capacity) }
        return true
    }

    private static let probePath = Array("/health".utf8)

    private static func isProbeEcho(_ line: ArraySlice<UInt8>) -> Bool {
        guard line.count >= probePath.count else { return false }
        var start = line.startIndex
        while let slash = line[start...].firstIndex(of: UInt8(ascii: "/")) {
            if line[slash...].starts(with: probePath) { return true }
            start = line.index(after: slash)
        }
        return false
    }

    private static func text(_ bytes: [UInt8]) -> String {
        let trimmed = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
        return String(decoding: trimmed, as: UTF8.self)
    }
}
