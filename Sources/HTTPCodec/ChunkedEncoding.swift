/// Framing helpers for writing a chunked body: header, data, terminator per chunk, then `lastChunk`.
public enum ChunkedEncoding {
    /// The size line of a chunk, e.g. "1a\r\n" for 26 bytes. A zero length would end the body,
    /// so callers skip empty chunks and send `lastChunk` instead.
    public static func chunkHeader(length: Int) -> [UInt8] {
        precondition(length >= 0, "chunk length must not be negative")
        var header = Array(String(length, radix: 16).utf8)
        header.append(contentsOf: ASCII.crlf)
        return header
    }

    /// Follows each chunk's data.
    public static let chunkTerminator: [UInt8] = ASCII.crlf

    /// The zero-size chunk and empty trailer section that end a chunked body.
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// Appends `data` framed as one chunk; nothing for empty data (it would read as the last chunk).
    public static func appendChunk(_ data: some Collection<UInt8>, to output: inout [UInt8]) {
        guard !data.isEmpty else { return }
        output.append(contentsOf: chunkHeader(length: data.count))
        output.append(contentsOf: data)
        output.append(contentsOf: chunkTerminator)
    }
}
