/// A growable byte buffer with a reader and a writer index: bytes are appended at the writer
/// index (by `read(2)` or copies) and consumed from the front without moving memory until
/// `discardReadBytes()`.
///
/// The storage past the writer index is spare room that was initialised once (zeros, or bytes
/// already consumed) and is reused: a read goes straight into it, so a connection that reads
/// request after request into the same buffer never clears or copies memory to make room (it
/// used to append 16 or 32 KiB of zeros before every read: half the proxy's instructions per
/// request). A drained buffer rewinds both indexes and keeps its room.
public struct ByteBuffer: Sendable {
    private var storage: [UInt8]
    public private(set) var readerIndex: Int
    /// Where the next byte goes; `storage[writerIndex...]` is spare room.
    private var writerIndex: Int

    public init(capacity: Int = 0) {
        storage = []
        storage.reserveCapacity(capacity)
        readerIndex = 0
        writerIndex = 0
    }

    public init(_ bytes: some Sequence<UInt8>) {
        storage = Array(bytes)
        readerIndex = 0
        writerIndex = storage.count
    }

    public var readableBytes: Int { writerIndex - readerIndex }
    public var isEmpty: Bool { readableBytes == 0 }
    public var readableView: ArraySlice<UInt8> { storage[readerIndex..<writerIndex] }

    /// Bytes that can be written before the storage must grow.
    var spareBytes: Int { storage.count - writerIndex }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        prepareToAppend()
        storage.append(contentsOf: bytes)
        writerIndex = storage.count
    }

    /// The common case, spelled out so callers in other modules need no generic specialisation.
    public mutating func append(_ bytes: [UInt8]) {
        append(bytes[...])
    }

    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { append($0) }
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        reclaimIfDrained()
        if bytes.count <= spareBytes {
            let start = writerIndex
            storage.withUnsafeMutableBytes { raw in
                UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + bytes.count)]).copyMemory(from: bytes)
            }
            writerIndex += bytes.count
        } else {
            prepareToAppend()
            storage.append(contentsOf: bytes)
            writerIndex = storage.count
        }
    }

    public mutating func append(_ string: String) {
        append(string.utf8)
    }

    /// Lets `body` write up to `count` bytes at the end (e.g. with `read(2)`); `body` returns how many
    /// it wrote (0 or a negative value appends nothing) and that value is returned.
    public mutating func writeWithUnsafeMutableBytes(
        minimumWritable count: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int
    ) -> Int {
        reclaimIfDrained()
        // Without this a transport that never calls discardReadBytes() would grow the buffer forever.
        if spareBytes < count && readerIndex >= readableBytes { discardReadBytes() }
        var missing = count - spareBytes
        while missing > 0 {
            let step = min(missing, Self.zeros.count)
            storage.append(contentsOf: Self.zeros[0..<step])
            missing -= step
        }
        let start = writerIndex
        let written = storage.withUnsafeMutableBytes { raw in
            body(UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + count)]))
        }
        writerIndex += max(0, min(written, count))
        return written
    }

    public func withReadableBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        // Array.withUnsafeBytes only rethrows untyped errors, so the typed error travels as a Result.
        let result = storage.withUnsafeBytes { raw in
            Result { () throws(E) -> R in try body(UnsafeRawBufferPointer(rebasing: raw[readerIndex..<writerIndex])) }
        }
        return try result.get()
    }

    /// Consumes `count` readable bytes.
    public mutating func moveReaderIndex(forwardBy count: Int) {
        precondition(count >= 0 && count <= readableBytes)
        readerIndex += count
        reclaimIfDrained()
    }

    /// Reads and consumes up to `count` bytes.
    public mutating func readSlice(length count: Int) -> ArraySlice<UInt8> {
        let length = min(count, readableBytes)
        let slice = storage[readerIndex..<(readerIndex + length)]
        // The slice shares the storage; rewinding now is safe (the next write copies the storage
        // only while such a slice is still alive), but is left to the next write anyway.
        readerIndex += length
        return slice
    }

    /// The byte at absolute `index`, if it has been written.
    @inline(__always)
    func writtenByte(at index: Int) -> UInt8? {
        index < writerIndex ? storage[index] : nil
    }

    /// Room for a read is made by appending these: a contiguous source is one copy even in debug
    /// builds, where appending `repeatElement(0, count:)` runs generic code per byte (~5 ms for 16 KB).
    private static let zeros = [UInt8](repeating: 0, count: 32 * 1024)

    /// A fully consumed buffer starts again at the front, keeping its room.
    private mutating func reclaimIfDrained() {
        if readerIndex > 0 && readerIndex == writerIndex {
            readerIndex = 0
            writerIndex = 0
        }
    }

    /// Before appending with `Array.append`: the spare room goes (it would sit between the old
    /// bytes and the new ones).
    private mutating func prepareToAppend() {
        reclaimIfDrained()
        if spareBytes > 0 { storage.removeLast(spareBytes) }
    }

    /// Moves unread bytes to the front once consumed bytes dominate, so the buffer stays small.
    public mutating func discardReadBytes() {
        guard readerIndex > 0 else { return }
        let (start, length) = (readerIndex, readableBytes)
        storage.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            if length > 0 { (base).copyMemory(from: base + start, byteCount: length) }
        }
        readerIndex = 0
        writerIndex = length
    }

    public mutating func clear() {
        readerIndex = 0
        writerIndex = 0
    }
}
