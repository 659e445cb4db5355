import HTTPCodec
import Testing

@Suite("Chunked framing helpers")
struct ChunkedEncodingTests {
    @Test(arguments: [(1, "1"), (26, "1a"), (255, "ff"), (4096, "1000"), (0, "0")])
    func chunkHeader(_ length: Int, _ hex: String) {
        #expect(ChunkedEncoding.chunkHeader(length: length) == Array(ascii: hex + "\r\n"))
    }

    @Test func terminators() {
        #expect(ChunkedEncoding.chunkTerminator == Array(ascii: "\r\n"))
        #expect(ChunkedEncoding.lastChunk == Array(ascii: "0\r\n\r\n"))
    }

    @Test func emptyDataIsNotFramed() {
        var output: [UInt8] = []
        ChunkedEncoding.appendChunk([UInt8](), to: &output)
        #expect(output.isEmpty)
    }

    /// What the helpers write, the parser reads back, whatever the chunk sizes.
    @Test(arguments: Feeding.allCases)
    func encodedBodyParsesBack(_ feeding: Feeding) {
        let payload = (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var input = Array(ascii: "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        var start = 0
        for size in [1, 15, 16, 255, 256, 1000, 1457] {
            ChunkedEncoding.appendChunk(payload[start..<start + size], to: &input)
            start += size
        }
        input += ChunkedEncoding.lastChunk
        let outcome = ParserReplay.request(input, feeding)
        let head = HTTPRequestHead(method: "POST", target: "/", headers: HTTPHeaders([("Transfer-Encoding", "chunked")]))
        #expect(outcome == Outcome([.head(head), .body(payload[...]), .end]))
    }
}
