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

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        reclaimIfDrained()
        storage.append(contentsOf: bytes)
    }

    /// The common case, spelled out so callers in other modules need no generic specialisation.
    public mutating func append(_ bytes: [UInt8]) {
        reclaimIfDrained()
        storage.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        reclaimIfDrained()
        storage.append(contentsOf: bytes)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reclaimIfDrained()
        storage.append(contentsOf: bytes)
    }

    public mutating func append(_ string: String) {
        reclaimIfDrained()
        storage.append(contentsOf: string.utf8)
    }

    /// Lets `body` write up to `count` bytes at the end (e.g. with `read(2)`); `body` returns how many
    /// it wrote (0 or a negative value appends nothing) and that value is returned.
    public mutating func writeWithUnsafeMutableBytes(
        minimumWritable count: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int
    ) -> Int {
        reclaimIfDrained()
        // Without this a transport that never calls discardReadBytes() would grow the buffer forever.
        if readerIndex >= readableBytes && storage.count + count > storage.capacity { discardReadBytes() }
        let start = storage.count
        var missing = count
        while missing > 0 {
            let step = min(missing, Self.zeros.count)
            storage.append(contentsOf: Self.zeros[0..<step])
            missing -= step
        }
        let written = storage.withUnsafeMutableBytes { raw in
            body(UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + count)]))
        }
        storage.removeLast(count - max(0, min(written, count)))
        return written
    }

    public func withReadableBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        // Array.withUnsafeBytes only rethrows untyped errors, so the typed error travels as a Result.
        let result = storage.withUnsafeBytes { raw in
            Result { () throws(E) -> R in try body(UnsafeRawBufferPointer(rebasing: raw[readerIndex...])) }
        }
        return try result.get()
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
        // No reset here even if drained: the slice shares the storage, so emptying it now would
        // allocate a fresh array. The next append reuses the storage once the slice is gone.
        readerIndex += length
        return slice
    }

    /// Room for a read is made by appending these: a contiguous source is one copy even in debug
    /// builds, where appending `repeatElement(0, count:)` runs generic code per byte (~5 ms for 16 KB).
    private static let zeros = [UInt8](repeating: 0, count: 32 * 1024)

    /// Empties a fully consumed buffer, keeping its capacity.
    private mutating func reclaimIfDrained() {
        if readerIndex > 0 && readerIndex == storage.count {
            storage.removeAll(keepingCapacity: true)
            readerIndex = 0
        }
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
