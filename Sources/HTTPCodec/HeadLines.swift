/// The lines of a complete head, each without its CRLF (or bare LF) ending.
struct HeadLines {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    /// `bytes` must end with the empty line, as `HeadScanner` guarantees.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The next line's content, or nil at the empty line that ends the head. A CR other than the
    /// one before the LF stays in the content, where the field parsers reject it.
    mutating func next() -> Range<Int>? {
        guard let lineFeed = ByteScan.firstLineFeed(in: bytes, from: position, to: bytes.count) else { return nil }
        var end = lineFeed
        if end > position && bytes[end - 1] == ASCII.carriageReturn { end -= 1 }
        let line = position..<end
        position = lineFeed + 1
        return line.isEmpty ? nil : line
    }
}

extension UnsafeRawBufferPointer {
    /// Decodes `range` as UTF-8 (invalid sequences become U+FFFD), the one String made per field.
    @inline(__always)
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: self[range]), as: UTF8.self)
    }
}
