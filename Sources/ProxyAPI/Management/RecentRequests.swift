import Foundation
import ProxyJSON
import Synchronization

/// The last `capacity` finished requests (`limits.recent_requests`), newest last, for
/// `GET /admin/status` and the status page: fed where `RequestLog` records a request. A ring:
/// recording is O(1) and the memory stays bounded; capacity 0 keeps nothing.
final class RecentRequests: Sendable {
    struct Entry: Sendable, Equatable {
        var unixSeconds: Double
        var method: String
        var path: String
        var model: String?
        var status: Int
        var milliseconds: Double
        var bytes: Int
        var note: String?
    }

    private struct Ring {
        var entries: [Entry] = []
        var next = 0
    }

    let capacity: Int
    private let ring = Mutex(Ring())

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    func record(_ entry: Entry) {
        guard capacity > 0 else { return }
        ring.withLock { ring in
            if ring.entries.count < capacity {
                ring.entries.append(entry)
            } else {
                ring.entries[ring.next] = entry
            }
            ring.next = (ring.next + 1) % capacity
        }
    }

    /// Oldest first.
    var entries: [Entry] {
        ring.withLock { ring in
            ring.entries.count < capacity ? ring.entries : Array(ring.entries[ring.next...] + ring.entries[..<ring.next])
        }
    }

    static func json(_ entry: Entry) -> JSONValue {
        .object([
            ("time", .number((entry.unixSeconds * 1000).rounded() / 1000)),
            ("method", .string(entry.method)),
            ("path", .string(entry.path)),
            ("model", entry.model.map { .string($0) } ?? .null),
            ("status", .int(entry.status)),
            ("ms", .number((entry.milliseconds * 100).rounded() / 100)),
            ("bytes", .int(entry.bytes)),
            ("note", entry.note.map { .string($0) } ?? .null),
        ])
    }
}
