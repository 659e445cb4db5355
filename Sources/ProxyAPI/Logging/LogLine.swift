/// One kept log line, rendered once as it arrived: `<UTC time> [<source>] <text>` and a newline,
/// its text escaped (`LogEscaping`, quotes left alone) so it can neither break nor forge a line.
/// `sequence` orders lines of different sources.
struct LogLine: Sendable, Equatable {
    let sequence: UInt64
    let source: LogSource
    let bytes: [UInt8]

    static func render(source: LogSource, time: String, text: String) -> [UInt8] {
        Array("\(time) [\(source.label)] \(text)\n".utf8)
    }
}
