import HTTPCodec
import ProxyTime

/// Watches an upstream answer as it passes, for metrics: when its first body byte came, and a
/// copy of at most `capacity` of its last bytes (a ring: per piece, only what can still end up
/// in the tail is copied, so a large body costs at most `capacity` bytes of copying per piece).
/// Only 200 answers of `application/json` or `text/event-stream` are kept. Loop-confined.
public final class ResponseBodyTap {
    public let capacity: Int
    /// Monotonic nanoseconds of the first body byte from the upstream (nil: none came).
    public private(set) var firstBodyByteAt: UInt64?
    /// The upstream's head said `text/event-stream`.
    public private(set) var isEventStream = false
    /// The head was one whose body is kept (200, JSON or an event stream).
    public private(set) var isKept = false
    private var ring: [UInt8] = []
    private var end = 0
    private var filled = 0

    public init(capacity: Int = ResponseBodyTap.defaultCapacity) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// How far back from the end of a body its `timings` are looked for: llama-server's timings
    /// object is some 300 bytes, a stream's last event with it some 700.
    public static let defaultCapacity = 4 * 1024

    public func head(status: Int, contentType: String?) {
        isEventStream = ServerSentEventStream.isEventStream(contentType: contentType)
        isKept = status == 200 && (isEventStream || MediaType.matches(contentType, "application/json"))
    }

    public func body(_ bytes: ArraySlice<UInt8>) {
        if firstBodyByteAt == nil && !bytes.isEmpty { firstBodyByteAt = MonotonicClock.now() }
        guard isKept, !bytes.isEmpty else { return }
        if ring.isEmpty { ring = [UInt8](repeating: 0, count: capacity) }
        let piece = bytes.suffix(capacity)
        let capacity = self.capacity
        var end = self.end  // a local: no exclusivity check per access
        piece.withUnsafeBytes { source in
            ring.withUnsafeMutableBytes { target in
                var copied = 0
                while copied < source.count {
                    let run = min(source.count - copied, capacity - end)
                    target.baseAddress!.advanced(by: end).copyMemory(from: source.baseAddress!.advanced(by: copied), byteCount: run)
                    copied += run
                    end = (end + run) % capacity
                }
            }
        }
        self.end = end
        filled = min(capacity, filled + piece.count)
    }

    /// The kept bytes, oldest first.
    public var tail: [UInt8] {
        guard filled > 0 else { return [] }
        let start = (end - filled + capacity) % capacity
        if start + filled <= capacity { return Array(ring[start..<(start + filled)]) }
        return Array(ring[start...]) + ring[..<end]
    }
}

