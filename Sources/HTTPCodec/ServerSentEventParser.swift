/// Splits a `text/event-stream` body into its events' data, as the HTML standard's event-stream
/// interpretation does: lines end with `\r\n`, `\n` or `\r`; a blank line dispatches the event;
/// `data:` lines (one leading space dropped) are joined with `\n`; comments (`:`) and other fields
/// are skipped; an event without data is not dispatched. Pure; bytes may arrive cut anywhere.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    /// The last byte was a `\r`: a `\n` right after it ends the same line.
    private var afterCarriageReturn = false
    /// Longest line kept (longer ones are cut there); a bound on what a peer can make it hold.
    public let maximumLineBytes: Int

    public init(maximumLineBytes: Int = 16 << 20) {
        self.maximumLineBytes = maximumLineBytes
    }

    /// The data of each event these bytes complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [[UInt8]] {
        var events: [[UInt8]] = []
        for byte in bytes {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if byte == Self.lineFeed { continue }
            }
            switch byte {
            case Self.carriageReturn:
                afterCarriageReturn = true
                if let event = endLine() { events.append(event) }
            case Self.lineFeed:
                if let event = endLine() { events.append(event) }
            default:
                if line.count < maximumLineBytes { line.append(byte) }
            }
        }
        return events
    }

    private mutating func endLine() -> [UInt8]? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            guard hasData else { return nil }
            let event = data
            data.removeAll(keepingCapacity: true)
            hasData = false
            return event
        }
        guard line.first != Self.colon else { return nil }  // a comment
        let colon = line.firstIndex(of: Self.colon) ?? line.endIndex
        guard line[..<colon].elementsEqual("data".utf8) else { return nil }
        var value = line[min(colon + 1, line.endIndex)...]
        if value.first == Self.space { value = value.dropFirst() }
        if hasData { data.append(Self.lineFeed) }
        data.append(contentsOf: value)
        hasData = true
        return nil
    }

    static let carriageReturn: UInt8 = 13
    static let lineFeed: UInt8 = 10
    static let colon = UInt8(ascii: ":")
    static let space = UInt8(ascii: " ")
}
