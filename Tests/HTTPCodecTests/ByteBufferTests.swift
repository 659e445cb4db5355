@testable import HTTPCodec
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
        #expect(Array(buffer.readableView) == Array(ascii: "g"))
    }

    /// A connection reads request after request into one buffer: once it has room, reads go
    /// straight into it and a drained buffer rewinds, so no read clears or copies memory.
    @Test func drainedReadsReuseTheirRoom() {
        var buffer = ByteBuffer()
        for round in 0..<5 {
            let written = buffer.writeWithUnsafeMutableBytes(minimumWritable: 16 * 1024) { raw in
                for index in 0..<100 { raw[index] = UInt8(round) }
                return 100
            }
            #expect(written == 100)
            #expect(buffer.readableBytes == 100 && buffer.readableView.allSatisfy { $0 == UInt8(round) })
            if round > 0 { #expect(buffer.spareBytes == 16 * 1024 - 100, "round \(round) made room again") }
            buffer.moveReaderIndex(forwardBy: 100)
            #expect(buffer.readerIndex == 0)
        }
    }

    @Test func appendsAfterAReadLandInItsRoomAndKeepOrder() {
        var buffer = ByteBuffer()
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritable: 64) { raw in
            raw[0] = 1
            return 1
        }
        buffer.append([2, 3])
        buffer.append(Array(repeating: 4, count: 100))  // more than the room left: the array grows
        buffer.append("ab")
        #expect(Array(buffer.readableView) == [1, 2, 3] + Array(repeating: 4, count: 100) + Array(ascii: "ab"))
        #expect(buffer.readableByte(at: 0) == 1 && buffer.readableByte(at: 104) == UInt8(ascii: "b"))
        #expect(buffer.readableByte(at: 105) == nil, "the room past the written bytes is not readable")
        buffer.clear()
        #expect(buffer.isEmpty && buffer.readableByte(at: 0) == nil)
    }

    @Test func aReadNeverOverwritesASliceStillHeld() {
        var buffer = ByteBuffer()
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritable: 64) { raw in
            for index in 0..<4 { raw[index] = 7 }
            return 4
        }
        let held = buffer.readSlice(length: 4)
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritable: 64) { raw in
            for index in 0..<4 { raw[index] = 9 }
            return 4
        }
        #expect(Array(held) == [7, 7, 7, 7])
        #expect(Array(buffer.readableView) == [9, 9, 9, 9])
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
