import Foundation
import ProxyTime
import Dispatch
import Glibc

extension ServerPool {
    /// Stops accepting acquires (waiting ones fail), waits until no request is in flight or
    /// `grace` seconds pass, then stops every child (SIGTERM, SIGKILL after the stop timeout)
    /// and waits until all are reaped and their sockets removed. Blocking.
    public func shutdown(grace: Double) {
        refuseAcquires()
        waitUntil(MonotonicClock.now() + Self.nanoseconds(grace)) { $0.scheduler.inFlightTotal == 0 }
        perform(state.withLock { resolve($0.scheduler.stopAll(now: MonotonicClock.now()), in: &$0) })
        // SIGKILL follows the stop timeout; past that, only a process stuck in the kernel stays.
        waitUntil(MonotonicClock.now() + Self.nanoseconds(max(0, configuration.stopTimeout) + 5)) { $0.children.isEmpty }
        // The saved slots are worth nothing to another process: they go with the children.
        if let root = configuration.slotCacheRoot { try? FileManager.default.removeItem(atPath: root) }
        rmdir(configuration.runtimeDirectory)  // only succeeds when empty, which is the point
    }

    /// Fails every queued acquire (503 `shutting_down`) and refuses new ones; leases in flight
    /// carry on. The first step of `shutdown`, and safe to call before it: a request waiting for
    /// a slot or a load is not "in flight", so it must not hold up a graceful stop.
    public func refuseAcquires() {
        perform(state.withLock { resolve($0.scheduler.beginShutdown(), in: &$0) })
    }

    private func waitUntil(_ deadline: UInt64, _ done: @Sendable (inout State) -> Bool) {
        while !state.withLock({ done(&$0) }) {
            let now = MonotonicClock.now()
            guard now < deadline else { return }
            _ = shutdownProgress.wait(timeout: .now() + .nanoseconds(Int(deadline - now)))
        }
    }

    static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64(max(0, seconds) * 1e9)
    }
}
