import Testing
@testable import ProxyPool

/// A waiter whose client went away leaves its queue at once; a load nobody waits for is abandoned.
@Suite struct PoolSchedulerCancellationTests {
    let exit = ChildExit(description: "killed by signal 9 (Killed)", logTail: [])

    @Test func aCancelledWaiterLeavesTheQueueAtOnce() {
        var scheduler = PoolScheduler.testing()
        let first = scheduler.loadReady("a", waiter: 1, at: 0, limit: 1).grants[1]!
        _ = scheduler.enqueue(.testing("a", limit: 1), waiter: 2, now: 1)
        _ = scheduler.enqueue(.testing("a", limit: 1), waiter: 3, now: 1)
        let cancelled = scheduler.cancel("a", waiter: 2, now: 2)
        #expect(cancelled.failures[2]?.kind == .cancelled)
        #expect(cancelled.killedModels.isEmpty && cancelled.stoppedModels.isEmpty)
        #expect(scheduler.queued("a") == [3])
        #expect(scheduler.release(first, now: 3).grants.keys.sorted() == [3])
    }

    @Test func cancellingAServedWaiterDoesNothing() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.loadReady("a", waiter: 1, at: 0)
        #expect(scheduler.cancel("a", waiter: 1, now: 1).isEmpty)
        #expect(scheduler.cancel("nobody", waiter: 9, now: 1).isEmpty)
        #expect(scheduler.statuses()["a"]?.inFlight == 1)
    }

    @Test func aLoadThatLosesItsLastWaiterIsAbandoned() {
        var scheduler = PoolScheduler.testing()
        let instance = scheduler.enqueue(.testing("a"), waiter: 1, now: 0).startedInstances[0]
        _ = scheduler.enqueue(.testing("a"), waiter: 2, now: 0)
        scheduler.childSpawned("a", instance: instance, pid: 77)
        #expect(scheduler.cancel("a", waiter: 1, now: 100_000_000).killedModels.isEmpty)  // 2 still waits
        let abandoned = scheduler.cancel("a", waiter: 2, now: 500_000_000)
        #expect(abandoned.failures[2]?.kind == .cancelled)
        #expect(abandoned.killedModels == ["a"])
        #expect(abandoned.logLines == ["load abandoned model=a pid=77 after 500 ms: nobody waits for it"])
        #expect(scheduler.state("a") == .stopping)
        #expect(scheduler.childReady("a", instance: instance, now: 501_000_000).isEmpty)  // too late: not served
        let exited = scheduler.childExited("a", instance: instance, exit: exit, now: 520_000_000)
        #expect(exited.logLines == ["unload model=a pid=77 reason=abandoned after 20 ms"])
        #expect(exited.startedModels.isEmpty)
        #expect(scheduler.statuses()["a"] == ModelStatus(state: .stopped, pid: nil, inFlight: 0, queued: 0))
    }

    @Test func aRequestArrivingWhileItsLoadIsAbandonedGetsAFreshLoad() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let old = scheduler.enqueue(.testing("a"), waiter: 1, now: 0).startedInstances[0]
        _ = scheduler.cancel("a", waiter: 1, now: 1)
        let joined = scheduler.enqueue(.testing("a"), waiter: 2, now: 2)
        #expect(joined.startedModels.isEmpty)  // single flight: wait for the abandoned child to go
        #expect(scheduler.queued("a") == [2])
        let exited = scheduler.childExited("a", instance: old, exit: exit, now: 3)
        #expect(exited.startedModels == ["a"])
        #expect(exited.failures.isEmpty)  // not a failed start: the kill was ours
        let fresh = scheduler.instance("a")
        #expect(fresh != old)
        #expect(scheduler.childReady("a", instance: fresh, now: 4).grants.keys.sorted() == [2])
    }

    @Test func aWaiterCancelledBeforeItsStartWasIssuedCausesNoStart() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.release(a, now: 1)
        #expect(scheduler.enqueue(.testing("b"), waiter: 2, now: 2).stoppedModels == ["a"])  // victim stopping
        #expect(scheduler.cancel("b", waiter: 2, now: 3).failures[2]?.kind == .cancelled)
        let exited = scheduler.childExited("a", instance: a.instance, exit: exit, now: 4)
        #expect(exited.startedModels.isEmpty)
        #expect(scheduler.state("b") == .stopped)
        #expect(scheduler.occupiedSlots == 0)
    }

    @Test func aWaiterForRoomCancelledLeavesOthersServedInOrder() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.enqueue(.testing("b"), waiter: 2, now: 1)
        _ = scheduler.enqueue(.testing("c"), waiter: 3, now: 2)
        _ = scheduler.cancel("b", waiter: 2, now: 3)
        #expect(scheduler.release(a, now: 4).stoppedModels == ["a"])
        let exited = scheduler.childExited("a", instance: a.instance, exit: exit, now: 5)
        #expect(exited.startedModels == ["c"])
    }
}
