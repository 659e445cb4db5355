/// A growable byte buffer with a reader index: bytes are appended at the end (by `read(2)` or
/// copies) and consumed from the front without moving memory until `discardReadBytes()`.
public struct ByteBuffer: Sendable {
    public private(set) var storage: [UInt8]
    public private(set) var readerIndex: Int

    public init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
        readerIndex = 0
    }

    public init(_ bytes: some Sequence<UInt8>) {
        storage = Array(bytes)
        readerIndex = 0
    }

    public var readableBytes: Int { storage.count - readerIndex }
    public var isEmpty: Bool { readableBytes == 0 }
    public var readableView: ArraySlice<UInt8> { storage[readerIndex...] }

    public mutating func append(_ bytes: some Sequence<UInt8>) { storage.append(contentsOf: bytes) }
    public mutating func append(_ bytes: UnsafeRawBufferPointer) { storage.append(contentsOf: bytes) }
    public mutating func append(_ string: String) { storage.append(contentsOf: string.utf8) }

    /// Lets `body` write up to `count` bytes at the end (e.g. with `read(2)`); `body` returns how many
    /// it wrote (0 or a negative value appends nothing) and that value is returned.
    public mutating func writeWithUnsafeMutableBytes(
        minimumWritable count: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int
    ) -> Int {
        let start = storage.count
        storage.append(contentsOf: repeatElement(0, count: count))
        let written = storage.withUnsafeMutableBytes { raw in
            body(UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + count)]))
        }
        storage.removeLast(count - max(0, min(written, count)))
        return written
    }

    public func withReadableBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { raw in try body(UnsafeRawBufferPointer(rebasing: raw[readerIndex...])) }
    }

    /// Consumes `count` readable bytes.
    public mutating func moveReaderIndex(forwardBy count: Int) {
        precondition(count >= 0 && count <= readableBytes)
        readerIndex += count
        if readerIndex == storage.count {
            storage.removeAll(keepingCapacity: true)
            readerIndex = 0
        }
    }

    /// Reads and consumes up to `count` bytes.
    public mutating func readSlice(length count: Int) -> ArraySlice<UInt8> {
        let length = min(count, readableBytes)
        let slice = storage[readerIndex..<(readerIndex + length)]
        moveReaderIndex(forwardBy: length)
        return slice
    }

    /// Moves unread bytes to the front once consumed bytes dominate, so the buffer stays small.
    public mutating func discardReadBytes() {
        guard readerIndex > 0 else { return }
        storage.removeFirst(readerIndex)
        readerIndex = 0
    }

    public mutating func clear() {
        storage.removeAll(keepingCapacity: true)
        readerIndex = 0
    }
}
