/// Why a document is not JSON, told by line and column (in characters), which is what a person
/// editing a file needs.
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var reason: String

    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// The error at byte `offset` of `bytes` (an offset at the end means "at end of file").
    init(_ reason: String, at offset: Int, in bytes: [UInt8]) {
        let position = min(offset, bytes.count)
        let lineStart = bytes[..<position].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        line = bytes[..<lineStart].count { $0 == 0x0A } + 1
        column = bytes[lineStart..<position].count { $0 & 0xC0 != 0x80 } + 1
        self.reason = reason
    }

    public var description: String {
        "invalid JSON at line \(line), column \(column): \(reason)"
    }
}
