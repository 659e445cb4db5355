import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerEvictionTests {
    @Test func fullPoolEvictsTheLeastRecentlyUsedIdleModel() {
        var scheduler = PoolScheduler.testing(maxLoaded: 2)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        let b = scheduler.loadReady("b", waiter: 2, at: 1).grants[2]!
        _ = scheduler.release(a, now: 10)
        _ = scheduler.release(b, now: 20)
        let actions = scheduler.enqueue(.testing("c"), waiter: 3, now: 30)
        #expect(actions.stoppedModels == ["a"])
        #expect(actions.startedModels.isEmpty)  // the slot frees only when "a" has exited
        #expect(scheduler.state("a") == .stopping)
        let exited = scheduler.childExited(
            "a", instance: a.instance, exit: ChildExit(description: "exited with status 0", logTail: []), now: 75_000_030)
        #expect(exited.startedModels == ["c"])
        #expect(exited.logLines == ["unload model=a pid=\(1000 + a.instance) reason=lru after 75 ms"])
    }

    @Test func busyModelsAreNeverEvicted() {
        var scheduler = PoolScheduler.testing(maxLoaded: 2)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        let b = scheduler.loadReady("b", waiter: 2, at: 1).grants[2]!
        _ = scheduler.release(a, now: 10)
        _ = scheduler.release(b, now: 20)
        _ = scheduler.acquireIfReady("a")  // "a" is least recently used, but busy now
        #expect(scheduler.enqueue(.testing("c"), waiter: 3, now: 30).stoppedModels == ["b"])
    }

    @Test func whenEverythingIsBusyTheAcquireWaitsForARelease() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        let waiting = scheduler.enqueue(.testing("b"), waiter: 2, now: 1)
        #expect(waiting.isEmpty)
        #expect(scheduler.pending.map(\.id) == [2])
        #expect(scheduler.release(a, now: 2).stoppedModels == ["a"])
    }

    @Test func oneStoppingChildFreesOneSlotNotTwo() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.release(a, now: 1)
        #expect(scheduler.enqueue(.testing("b"), waiter: 2, now: 2).stoppedModels == ["a"])
        #expect(scheduler.enqueue(.testing("c"), waiter: 3, now: 3).isEmpty)
        let exited = scheduler.childExited("a", instance: a.instance, exit: ChildExit(description: "x", logTail: []), now: 4)
        #expect(exited.startedModels == ["b"])  // first come, first served; "c" waits for "b" to be idle
        #expect(scheduler.pending.map(\.id) == [3])
    }

    @Test func anAcquireOfAStoppingModelRestartsItOnceItIsGone() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.release(a, now: 1)
        _ = scheduler.enqueue(.testing("b"), waiter: 2, now: 2)  // evicts "a"
        #expect(scheduler.enqueue(.testing("a"), waiter: 3, now: 3).isEmpty)
        let exited = scheduler.childExited("a", instance: a.instance, exit: ChildExit(description: "x", logTail: []), now: 4)
        #expect(exited.startedModels == ["b"])
        #expect(scheduler.pending.map(\.id) == [3])
    }

    @Test func queueTimeoutFailsOnlyAcquiresStillWaitingForASlot() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, queueTimeout: 2.5)
        _ = scheduler.loadReady("a", waiter: 1, at: 0)
        _ = scheduler.enqueue(.testing("b"), waiter: 2, now: 1)
        let failed = scheduler.queueTimedOut(waiter: 2)
        #expect(failed.failures[2]?.kind == .queueTimeout)
        #expect(failed.failures[2]?.message.contains("2.5 s") == true)
        #expect(scheduler.pending.isEmpty)
        _ = scheduler.enqueue(.testing("c"), waiter: 3, now: 2)
        #expect(scheduler.queueTimedOut(waiter: 1).isEmpty)  // already served
    }
}
