#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the header bytes come from: a file, or bytes in memory (tests).
public protocol GGUFByteSource {
    /// Up to `count` more bytes; fewer only at the end of the data, none past it.
    mutating func read(upTo count: Int) throws -> [UInt8]
}

/// Bytes in memory.
public struct GGUFMemorySource: GGUFByteSource {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func read(upTo count: Int) throws -> [UInt8] {
        let end = min(bytes.count, position + count)
        defer { position = end }
        return Array(bytes[position..<end])
    }
}

/// An open file, read from its start with read(2): only as far as the header goes.
struct GGUFFileSource: GGUFByteSource {
    let path: String
    let descriptor: Int32

    /// Opens `path` for reading; the caller closes it.
    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw GGUFError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        self.descriptor = descriptor
    }

    func closeFile() { _ = close(descriptor) }

    mutating func read(upTo count: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: count)
        while true {
            let got = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, count) }
            if got >= 0 {
                chunk.removeLast(count - got)
                return chunk
            }
            guard errno == EINTR else { throw GGUFError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        }
    }
}

/// read(2), under a name the source's own `read(upTo:)` does not hide.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
