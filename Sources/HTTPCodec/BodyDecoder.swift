/// What a body decoder yields: a piece of the body or its end.
enum BodyEvent {
    case data(ArraySlice<UInt8>)
    case end
}

/// Reads one message body framed by a length, by chunks, or by the connection closing.
struct BodyDecoder: Sendable {
    enum Mode: Sendable {
        case length(remaining: Int)
        case chunked(ChunkedDecoder)
        case untilClose
    }

    private(set) var mode: Mode

    /// `framing` must not be `.none`: a message without a body needs no decoder.
    init(framing: BodyFraming, limits: HTTPParserLimits) {
        switch framing {
        case .none: mode = .length(remaining: 0)
        case .length(let length): mode = .length(remaining: length)
        case .chunked: mode = .chunked(ChunkedDecoder(limits: limits))
        case .untilClose: mode = .untilClose
        }
    }

    var readsUntilClose: Bool {
        if case .untilClose = mode { true } else { false }
    }

    /// Body bytes are handed out as slices of the buffer as soon as they arrive; nil means more
    /// bytes are needed (a close-delimited body ends only through `inputClosed`).
    mutating func next(_ buffer: inout ByteBuffer) throws(HTTPParseError) -> BodyEvent? {
        switch mode {
        case .length(let remaining):
            if remaining == 0 { return .end }
            guard !buffer.isEmpty else { return nil }
            let slice = buffer.readSlice(length: remaining)
            mode = .length(remaining: remaining - slice.count)
            return .data(slice)
        case .chunked(var decoder):
            defer { mode = .chunked(decoder) }
            return try decoder.next(&buffer)
        case .untilClose:
            guard !buffer.isEmpty else { return nil }
            return .data(buffer.readSlice(length: buffer.readableBytes))
        }
    }
}
