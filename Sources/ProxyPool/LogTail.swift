/// The last lines a child wrote, for error messages. Bytes arrive in arbitrary chunks; a line
/// is complete at '\n', and an unfinished one still shows in `lines` (a crash rarely ends
/// with a newline). Overlong lines are cut so a child cannot make us hoard memory.
///
/// Lines mentioning `/health` are dropped: llama-server may log every health request, and
/// those are our own probes, which would crowd out the lines that explain a failure.
struct LogTail: Sendable {
    let capacity: Int
    let maximumLineBytes: Int
    private var complete: [String] = []
    private var partial: [UInt8] = []

    init(capacity: Int = 30, maximumLineBytes: Int = 1000) {
        self.capacity = capacity
        self.maximumLineBytes = maximumLineBytes
    }

    var lines: [String] {
        guard !partial.isEmpty, !Self.isProbeEcho(Self.text(partial)) else { return complete }
        return Array((complete + [Self.text(partial)]).suffix(capacity))
    }

    /// Returns whether the bytes held news: a kept line, finished or not. Output that only
    /// echoes our probes must not count, or each probe would trigger the next.
    @discardableResult
    mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        var news = false
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                news = finishLine() || news
            } else if partial.count < maximumLineBytes {
                partial.append(byte)
            }
        }
        return news || (!partial.isEmpty && !Self.isProbeEcho(Self.text(partial)))
    }

    private mutating func finishLine() -> Bool {
        let line = Self.text(partial)
        partial.removeAll(keepingCapacity: true)
        guard !Self.isProbeEcho(line) else { return false }
        complete.append(line)
        if complete.count > capacity { complete.removeFirst(complete.count - capacity) }
        return true
    }

    private static func isProbeEcho(_ line: String) -> Bool {
        line.contains("/health")
    }

    private static func text(_ bytes: [UInt8]) -> String {
        let trimmed = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
        return String(decoding: trimmed, as: UTF8.self)
    }
}
