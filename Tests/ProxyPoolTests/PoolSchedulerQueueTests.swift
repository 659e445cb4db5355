import Testing
@testable import ProxyPool

/// One FIFO queue per model: at most `concurrencyLimit` leases on a ready child, the rest wait in
/// order, with one queue timeout whose clock stops while the model loads.
@Suite struct PoolSchedulerQueueTests {
    let second: UInt64 = 1_000_000_000

    @Test func aReadyModelGrantsAtMostItsLimitAndQueuesTheRestInOrder() {
        var scheduler = PoolScheduler.testing()
        let first = scheduler.loadReady("a", waiter: 1, at: 0, limit: 2).grants[1]!
        #expect(scheduler.acquireIfReady("a") != nil)  // the second slot
        #expect(scheduler.acquireIfReady("a") == nil)  // full: the fast path declines
        for waiter in 3...5 { _ = scheduler.enqueue(.testing("a", limit: 2), waiter: waiter, now: 10) }
        #expect(scheduler.queued("a") == [3, 4, 5])
        #expect(scheduler.statuses()["a"] == ModelStatus(state: .ready, pid: 1001, inFlight: 2, queued: 3, device: "host"))
        let released = scheduler.release(first, now: 20)
        #expect(Array(released.grants.keys) == [3])  // oldest first, one slot, one grant
        #expect(scheduler.queued("a") == [4, 5])
        #expect(scheduler.statuses()["a"]?.inFlight == 2)
    }

    @Test func theFastPathNeverOvertakesTheQueue() {
        var scheduler = PoolScheduler.testing()
        let first = scheduler.loadReady("a", waiter: 1, at: 0, limit: 1).grants[1]!
        _ = scheduler.enqueue(.testing("a", limit: 1), waiter: 2, now: 1)
        // The release hands the slot to waiter 2 at once, so a new request finds no free slot.
        #expect(scheduler.release(first, now: 2).grants.keys.sorted() == [2])
        #expect(scheduler.acquireIfReady("a") == nil)
    }

    @Test func aLoadGrantsItsQueueUpToTheLimitAndTheRestKeepWaiting() {
        var scheduler = PoolScheduler.testing()
        var actions: [PoolAction] = []
        for waiter in 1...5 { actions += scheduler.enqueue(.testing("a", limit: 2), waiter: waiter, now: 0) }
        #expect(actions.startedModels == ["a"])
        #expect(actions.armedTimers.isEmpty)  // waiting for a load: no queue clock
        #expect(scheduler.statuses()["a"]?.queued == 5)
        let ready = scheduler.childReady("a", instance: scheduler.instance("a"), now: 30 * second)
        #expect(ready.grants.keys.sorted() == [1, 2])
        #expect(ready.armedTimers == [3: 630 * second, 4: 630 * second, 5: 630 * second])  // clocks start now
        #expect(scheduler.queued("a") == [3, 4, 5])
    }

    @Test func aSlowLoadIsNeverCutShortByTheQueueTimeout() {
        var scheduler = PoolScheduler.testing(queueTimeout: 1)
        let started = scheduler.enqueue(.testing("a", limit: 1), waiter: 1, now: 0)
        #expect(started.armedTimers.isEmpty)
        // A timer of an earlier stretch firing during the load finds no running clock.
        #expect(scheduler.queueTimedOut("a", waiter: 1, now: 50 * second).isEmpty)
        let ready = scheduler.childReady("a", instance: scheduler.instance("a"), now: 100 * second)
        #expect(ready.grants.keys.sorted() == [1])
    }

    @Test func timeWaitingForRoomCountsButTheLoadDoesNot() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, queueTimeout: 10)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        let queued = scheduler.enqueue(.testing("b", limit: 1), waiter: 2, now: 0)
        _ = scheduler.enqueue(.testing("b", limit: 1), waiter: 3, now: 0)
        #expect(queued.armedTimers == [2: 10 * second])
        // 4 s later "a" is idle and evicted; 1 s later it is gone and "b" starts: the clocks stop.
        #expect(scheduler.release(a, now: 4 * second).stoppedModels == ["a"])
        let started = scheduler.childExited("a", instance: a.instance, exit: ChildExit(description: "x", logTail: []), now: 5 * second)
        #expect(started.startedModels == ["b"])
        #expect(started.cancelledTimers.sorted() == [2, 3])
        // A 100 s load later, waiter 3 (beyond the limit) has the 5 s it had left.
        let ready = scheduler.childReady("b", instance: scheduler.instance("b"), now: 105 * second)
        #expect(ready.grants.keys.sorted() == [2])
        #expect(ready.armedTimers == [3: 110 * second])
        let failed = scheduler.queueTimedOut("b", waiter: 3, now: 110 * second)
        #expect(failed.failures[3]?.kind == .queueTimeout)
        #expect(failed.failures[3]?.message == "model 'b' is busy: all 1 of its slots stayed in use for 10 s")
        #expect(scheduler.statuses()["b"]?.queued == 0)
    }

    @Test func noQueueTimeoutMeansNoTimers() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, queueTimeout: 0)
        _ = scheduler.loadReady("a", waiter: 1, at: 0)
        #expect(scheduler.enqueue(.testing("b"), waiter: 2, now: 1).armedTimers.isEmpty)
        #expect(scheduler.queued("b") == [2])
    }

    @Test func roomGoesToTheOldestWaiterAcrossModels() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.enqueue(.testing("c"), waiter: 2, now: 1)
        _ = scheduler.enqueue(.testing("b"), waiter: 3, now: 2)
        _ = scheduler.enqueue(.testing("c"), waiter: 4, now: 3)
        #expect(scheduler.release(a, now: 4).stoppedModels == ["a"])
        let exited = scheduler.childExited("a", instance: a.instance, exit: ChildExit(description: "x", logTail: []), now: 5)
        #expect(exited.startedModels == ["c"])
        #expect(scheduler.queued("c") == [2, 4])
        #expect(scheduler.waitingForRoom == [3])
    }
}
