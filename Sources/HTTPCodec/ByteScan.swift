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

}
