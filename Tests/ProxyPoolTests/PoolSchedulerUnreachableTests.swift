import Testing
@testable import ProxyPool

/// A ready child whose socket refuses connections died a moment ago (its exit not yet reaped):
/// the request that found out has it killed, and the retry is served by a fresh start, never by
/// the same dead child.
@Suite struct PoolSchedulerUnreachableTests {
    let millisecond: UInt64 = 1_000_000

    @Test func anUnreachableChildIsKilledAndTheRetryWaitsForAFreshStart() {
        var scheduler = PoolScheduler.testing()
        let lease = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        let reported = scheduler.unreachable(lease, now: 5 * millisecond)
        #expect(reported.killedModels == ["a"])
        #expect(reported.logLines.contains { $0.contains("model=a pid=1001 refuses connections") })
        #expect(scheduler.state("a") == .stopping)
        #expect(scheduler.statuses()["a"]?.inFlight == 0, "the lease was released")

        let retry = scheduler.enqueue(.testing("a"), waiter: 2, now: 6 * millisecond)
        #expect(retry.grants.isEmpty, "not granted on the dead child")
        #expect(retry.startedModels.isEmpty, "not started before the old child is gone")
        let exit = ChildExit(description: "killed by signal 9 (Killed)", logTail: [])
        let exited = scheduler.childExited("a", instance: lease.instance, exit: exit, now: 7 * millisecond)
        #expect(exited.logLines.contains { $0.hasPrefix("unload model=a pid=1001 reason=unreachable") })
        #expect(exited.startedModels == ["a"])
        #expect(exited.failures.isEmpty)
    }

    @Test func aReportOnAChildAlreadyReplacedOnlyReleases() {
        var scheduler = PoolScheduler.testing()
        let old = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        let exit = ChildExit(description: "killed by signal 9 (Killed)", logTail: [])
        _ = scheduler.childExited("a", instance: old.instance, exit: exit, now: 1 * millisecond)
        let fresh = scheduler.loadReady("a", waiter: 2, at: 2).grants[2]!
        #expect(fresh.instance != old.instance)
        let reported = scheduler.unreachable(old, now: 3 * millisecond)
        #expect(reported.killedModels.isEmpty)
        #expect(scheduler.state("a") == .ready)
        #expect(scheduler.statuses()["a"]?.inFlight == 1, "the fresh child's lease is untouched")
    }
}
