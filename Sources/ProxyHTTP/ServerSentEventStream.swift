import HTTPCodec

/// Follows a relayed `text/event-stream` body just enough to end it cleanly: whether the bytes
/// sent so far stop at an event boundary (a blank line), and the bytes that close an event cut
/// in the middle. Value type, O(1) per relayed piece (only its trailing line ends are looked at).
/// Public for its event encoders (`dataEvent`) and `isEventStream`, so a stream of another kind
/// writes and recognises events the same way.
public struct ServerSentEventStream: Equatable {
    /// Line ends since the last other byte (`\r\n`, `\n` and `\r` each count one); the start of
    /// a stream counts as a boundary.
    private(set) var trailingLineEnds = 2
    /// The last byte was a `\r`: a `\n` right after it belongs to the same line end.
    private var endsWithCarriageReturn = false

    public static func isEventStream(contentType: String?) -> Bool {
        MediaType.matches(contentType, "text/event-stream")
    }

    var isAtEventBoundary: Bool { trailingLineEnds >= 2 }

    mutating func relayed(_ bytes: ArraySlice<UInt8>) {
        guard let lastOther = bytes.lastIndex(where: { $0 != Self.carriageReturn && $0 != Self.lineFeed }) else {
            for byte in bytes { advance(byte) }
            return
        }
        trailingLineEnds = 0
        endsWithCarriageReturn = false
        for byte in bytes[(lastOther + 1)...] { advance(byte) }
    }

    /// What to send to reach an event boundary: nothing, or the line ends that dispatch the
    /// event under way (a client then sees that event cut short, then the next one).
    var bytesToEventBoundary: [UInt8] {
        var copy = self
        var bytes = [UInt8]()
        while !copy.isAtEventBoundary {
            // After a lone `\r`, a `\n` would only complete that line end.
            let piece: [UInt8] = copy.endsWithCarriageReturn ? [Self.carriageReturn, Self.lineFeed] : [Self.lineFeed]
            for byte in piece { copy.advance(byte) }
            bytes += piece
        }
        return bytes
    }

    /// An event whose data is an OpenAI-shaped error, `data: {"error":{...}}` and a blank line,
    /// after whatever ends the event under way.
    func errorEvent(message: String, type: String, code: String) -> [UInt8] {
        bytesToEventBoundary + Array("data: ".utf8) + ErrorResponseBody.json(message: message, type: type, code: code)
            + [Self.lineFeed, Self.lineFeed]
    }

    /// An event whose data is `bytes`: one `data: ` line per line of it (split at `\r\n`, `\n`
    /// and `\r`), so a client that joins the data lines with `\n` reads the text back.
    public static func dataEvent(_ bytes: [UInt8]) -> [UInt8] {
        fieldLines(name: "data: ", bytes) + [lineFeed]
    }

    /// A comment (`: ` and a line of text, per line of it) and a blank line; a client skips it.
    static func commentEvent(_ text: String) -> [UInt8] {
        fieldLines(name: ": ", Array(text.utf8)) + [lineFeed]
    }

    private static func fieldLines(name: String, _ bytes: [UInt8]) -> [UInt8] {
        var event = [UInt8]()
        event.reserveCapacity(bytes.count + 16)
        var index = bytes.startIndex
        repeat {
            let end = bytes[index...].firstIndex { $0 == carriageReturn || $0 == lineFeed } ?? bytes.endIndex
            event += Array(name.utf8)
            event += bytes[index..<end]
            event.append(lineFeed)
            index = end
            if index < bytes.endIndex {
                index += bytes[index] == carriageReturn && index + 1 < bytes.endIndex && bytes[index + 1] == lineFeed ? 2 : 1
            }
        } while index < bytes.endIndex
        return event
    }

    private mutating func advance(_ byte: UInt8) {
        switch byte {
        case Self.carriageReturn:
            trailingLineEnds += 1
            endsWithCarriageReturn = true
        case Self.lineFeed:
            if !endsWithCarriageReturn { trailingLineEnds += 1 }
            endsWithCarriageReturn = false
        default:
            trailingLineEnds = 0
            endsWithCarriageReturn = false
        }
    }

    private static let carriageReturn = UInt8(ascii: "\r")
    private static let lineFeed = UInt8(ascii: "\n")
}
