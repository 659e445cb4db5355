import ProxyHTTP

/// A live log reader that wants server-sent events (a browser's `EventSource`): each kept line is
/// one event, its data the line without its newline (`data: <time> [<source>] <text>`).
struct LogEventStream: LogSubscriber {
    let stream: LiveBodyStream

    func send(_ bytes: [UInt8]) -> Bool { stream.send(Self.events(bytes)) }

    func finish() { stream.finish() }

    /// Whole lines (each ending in `\n`, none holding another line end: the store escaped them).
    static func events(_ lines: [UInt8]) -> [UInt8] {
        lines.split(separator: UInt8(ascii: "\n")).reduce(into: [UInt8]()) { $0 += ServerSentEventStream.dataEvent(Array($1)) }
    }
}
