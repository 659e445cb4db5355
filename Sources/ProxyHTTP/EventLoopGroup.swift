import Foundation
import Synchronization

/// A fixed set of loops, each on its own thread, created once at start (never per request).
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    private let nextIndex = Atomic<Int>(0)

    public init(count: Int) {
        loops = (0..<max(1, count)).map { _ in EventLoop() }
        for (index, loop) in loops.enumerated() {
            let thread = Thread { loop.run() }
            thread.name = "event-loop-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Round-robin choice, for work that has no loop of its own yet.
    public func next() -> EventLoop {
        loops[nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }

    public func stop() {
        for loop in loops { loop.stop() }
    }
}
