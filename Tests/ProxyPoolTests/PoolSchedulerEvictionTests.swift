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
        #expect(exited.logLines == ["unload model=a pid=\(1000 + a.instance) reason=evicted after 75 ms"])
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
        #expect(waiting == [.armQueueTimer(modelID: "b", waiter: 2, deadline: 600_000_000_001)])
        #expect(scheduler.waitingForRoom == [2])
        #expect(scheduler.release(a, now: 2).stoppedModels == ["a"])
    }

    @Test func oneStoppingChildFreesOneSlotNotTwo() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.release(a, now: 1)
        #expect(scheduler.enqueue(.testing("b"), waiter: 2, now: 2).stoppedModels == ["a"])
        #expect(scheduler.enqueue(.testing("c"), waiter: 3, now: 3) == [.armQueueTimer(modelID: "c", waiter: 3, deadline: 600_000_000_003)])
        let exited = scheduler.childExited("a", instance: a.instance, exit: ChildExit(description: "x", logTail: []), now: 4)
        #expect(exited.startedModels == ["b"])  // first come, first served; "c" waits for "b" to be idle
        #expect(scheduler.waitingForRoom == [3])
    }

    @Test func anAcquireOfAStoppingModelRestartsItOnceItIsGone() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.release(a, now: 1)
        _ = scheduler.enqueue(.testing("b"), waiter: 2, now: 2)  // evicts "a"
        #expect(scheduler.enqueue(.testing("a"), waiter: 3, now: 3) == [.armQueueTimer(modelID: "a", waiter: 3, deadline: 600_000_000_003)])
        let exited = scheduler.childExited("a", instance: a.instance, exit: ChildExit(description: "x", logTail: []), now: 4)
        #expect(exited.startedModels == ["b"])
        #expect(scheduler.waitingForRoom == [3])
    }

    @Test func queueTimeoutFailsAnAcquireStillWaitingForRoom() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, queueTimeout: 2.5)
        _ = scheduler.loadReady("a", waiter: 1, at: 0)
        let queued = scheduler.enqueue(.testing("b"), waiter: 2, now: 1)
        #expect(queued.armedTimers == [2: 2_500_000_001])
        #expect(scheduler.queueTimedOut("b", waiter: 2, now: 2_500_000_000).isEmpty)  // early: not yet
        let failed = scheduler.queueTimedOut("b", waiter: 2, now: 2_500_000_001)
        #expect(failed.failures[2]?.kind == .queueTimeout)
        #expect(failed.failures[2]?.message == "no room to load model 'b' within 2.5 s: all 1 loaded model(s) are busy")
        #expect(scheduler.waitingForRoom.isEmpty)
        #expect(scheduler.statuses()["b"]?.queued == 0)
        #expect(scheduler.queueTimedOut("a", waiter: 1, now: 3_000_000_000).isEmpty)  // already served
    }
}
