import HTTPCodec
import Testing

@Suite("ByteBuffer")
struct ByteBufferTests {
    @Test func slicesSurviveLaterWrites() {
        var buffer = ByteBuffer(Array(ascii: "abc"))
        let slice = buffer.readSlice(length: 10)
        #expect(buffer.isEmpty)
        buffer.append(Array(ascii: "xyz"))
        #expect(Array(slice) == Array(ascii: "abc"))
        #expect(Array(buffer.readableView) == Array(ascii: "xyz"))
    }

    @Test func drainedStorageIsReusedOnceSlicesAreGone() {
        var buffer = ByteBuffer(capacity: 64)
        buffer.append(Array(ascii: "abcdef"))
        _ = buffer.readSlice(length: 6)
        buffer.append(Array(ascii: "g"))
        #expect(buffer.readerIndex == 0)
        #expect(buffer.storage == Array(ascii: "g"))
    }

    @Test func writesCompactWhenConsumedBytesDominate() {
        var buffer = ByteBuffer(capacity: 16)
        buffer.append(Array(repeating: 1, count: 16))
        buffer.moveReaderIndex(forwardBy: 12)
        let written = buffer.writeWithUnsafeMutableBytes(minimumWritable: 4096) { raw in
            for index in 0..<3 { raw[index] = 2 }
            return 3
        }
        #expect(written == 3)
        #expect(buffer.readerIndex == 0)
        #expect(Array(buffer.readableView) == [1, 1, 1, 1, 2, 2, 2])
    }

    @Test func typedErrorsPassThroughReadableBytes() {
        let buffer = ByteBuffer(Array(ascii: "x"))
        #expect(throws: HTTPParseError.invalidChunk) {
            try buffer.withReadableBytes { (bytes) throws(HTTPParseError) -> Int in
                if bytes.count == 1 { throw .invalidChunk }
                return bytes.count
            }
        }
    }
}
