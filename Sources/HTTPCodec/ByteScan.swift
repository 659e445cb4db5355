#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte searches over raw memory, the innermost loops of the parsers.
enum ByteScan {
    /// Offset of the first line feed in `bytes[start..<end]`, or nil. memchr is vectorised, which
    /// pays off even on header-sized lines.
    @inline(__always)
    static func firstLineFeed(in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        guard start < end, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(ASCII.lineFeed), end - start) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// Offset of the first `byte` in `bytes[start...]`, or `bytes.count` when there is none.
    @inline(__always)
    static func first(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start < bytes.count, let base = bytes.baseAddress else { return bytes.count }
        guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return bytes.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }
}
