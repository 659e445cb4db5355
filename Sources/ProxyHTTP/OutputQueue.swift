import Glibc

/// Bytes waiting to be written to a socket. Small pieces are coalesced into one owned buffer so a
/// response head and a short body leave in one syscall; large pieces are kept by reference
/// (an `ArraySlice` shares the caller's storage), so big bodies are never copied.
struct OutputQueue {
    private static let coalesceLimit = 16 * 1024
    private var chunks: [ArraySlice<UInt8>] = []
    private var firstIndex = 0
    private var lastIsOwned = false
    private(set) var pendingBytes = 0

    var isEmpty: Bool { pendingBytes == 0 }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        pendingBytes += bytes.count
        if bytes.count <= Self.coalesceLimit, lastIsOwned, chunks.count > firstIndex,
            chunks[chunks.count - 1].count < 4 * Self.coalesceLimit
        {
            chunks[chunks.count - 1].append(contentsOf: bytes)
        } else if bytes.count <= Self.coalesceLimit {
            var owned = [UInt8]()
            owned.reserveCapacity(max(bytes.count, 4096))
            owned.append(contentsOf: bytes)
            chunks.append(owned[...])
            lastIsOwned = true
        } else {
            chunks.append(bytes)
            lastIsOwned = false
        }
    }

    mutating func append(_ bytes: [UInt8]) { append(bytes[...]) }

    enum FlushResult { case drained, wouldBlock, failed(Int32) }

    /// Writes as much as the socket takes now.
    mutating func flush(to fd: Int32) -> FlushResult {
        while firstIndex < chunks.count {
            let result = chunks[firstIndex].withUnsafeBytes { raw -> SocketIO.WriteResult in
                var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress), iov_len: raw.count)
                return withUnsafeMutablePointer(to: &vector) { SocketIO.send(fd, UnsafeMutableBufferPointer(start: $0, count: 1)) }
            }
            switch result {
            case .wrote(let count):
                pendingBytes -= count
                if count == chunks[firstIndex].count {
                    chunks[firstIndex] = []
                    firstIndex += 1
                } else {
                    chunks[firstIndex] = chunks[firstIndex].dropFirst(count)
                    return .wouldBlock
                }
            case .wouldBlock: return .wouldBlock
            case .failed(let code): return .failed(code)
            }
        }
        chunks.removeAll(keepingCapacity: true)
        firstIndex = 0
        lastIsOwned = false
        return .drained
    }

    mutating func removeAll() {
        chunks.removeAll()
        firstIndex = 0
        lastIsOwned = false
        pendingBytes = 0
    }
}
