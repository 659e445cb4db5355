import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerFailureTests {
    @Test func aChildThatExitsWhileLoadingFailsItsWaitersWithTheLogTail() {
        var scheduler = PoolScheduler.testing()
        let started = scheduler.enqueue(.testing("a"), waiter: 1, now: 0) + scheduler.enqueue(.testing("a"), waiter: 2, now: 0)
        let instance = started.startedInstances[0]
        scheduler.childSpawned("a", instance: instance, pid: 7)
        let tail = ["loading", "error: failed to open model"]
        let actions = scheduler.childExited(
            "a", instance: instance, exit: ChildExit(description: "exited with status 1", logTail: tail), now: 40_000_000)
        #expect(actions.failures.count == 2)
        #expect(actions.failures[1]?.kind == .startFailed)
        #expect(actions.failures[1]?.logTail == tail)
        #expect(actions.logLines == [
            "load failed model=a pid=7 after 40 ms: exited with status 1; last output: error: failed to open model"
        ])
        #expect(scheduler.state("a") == .stopped)
        #expect(scheduler.enqueue(.testing("a"), waiter: 3, now: 50).startedModels == ["a"])  // tries again
    }

    @Test func aLoadTimeoutFailsWaitersAtOnceButHoldsTheSlotUntilTheChildIsGone() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let instance = scheduler.enqueue(.testing("a"), waiter: 1, now: 0).startedInstances[0]
        let timedOut = scheduler.loadTimedOut("a", instance: instance, logTail: ["still loading"], now: 600)
        #expect(timedOut.failures[1]?.kind == .loadTimeout)
        #expect(timedOut.failures[1]?.logTail == ["still loading"])
        #expect(timedOut.killedModels == ["a"])
        #expect(scheduler.enqueue(.testing("b"), waiter: 2, now: 601).startedModels.isEmpty)
        let exited = scheduler.childExited("a", instance: instance, exit: ChildExit(description: "killed", logTail: []), now: 602)
        #expect(exited.startedModels == ["b"])
        #expect(scheduler.state("a") == .stopped)
    }

    @Test func aReadyChildThatDiesIsStoppedAndRestartedByTheNextAcquire() {
        var scheduler = PoolScheduler.testing()
        let lease = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        let exit = ChildExit(description: "killed by signal 9 (Killed)", logTail: [])
        let actions = scheduler.childExited("a", instance: lease.instance, exit: exit, now: 2_000_000_000)
        #expect(actions.logLines == ["unload model=a pid=\(1000 + lease.instance) reason=exit (killed by signal 9 (Killed)) after 2000 ms loaded"])
        #expect(scheduler.statuses()["a"] == ModelStatus(state: .stopped, pid: nil, inFlight: 0))
        #expect(scheduler.acquireIfReady("a") == nil)
        #expect(scheduler.enqueue(.testing("a"), waiter: 2, now: 3).startedModels == ["a"])
    }

    @Test func shutdownFailsEveryWaiterRefusesNewOnesAndStopsEveryChild() {
        var scheduler = PoolScheduler.testing(maxLoaded: 2)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.enqueue(.testing("b"), waiter: 2, now: 1)  // starting
        _ = scheduler.enqueue(.testing("c"), waiter: 3, now: 1)  // waiting for a slot
        let failed = scheduler.beginShutdown()
        #expect(Set(failed.failures.keys) == [2, 3])
        #expect(failed.failures.values.allSatisfy { $0.kind == .shuttingDown })
        #expect(scheduler.enqueue(.testing("a"), waiter: 4, now: 2).failures[4]?.kind == .shuttingDown)
        #expect(scheduler.inFlightTotal == 1)
        _ = scheduler.release(a, now: 3)
        #expect(scheduler.inFlightTotal == 0)
        let stops = scheduler.stopAll(now: 4)
        #expect(stops.stoppedModels == ["a"])
        #expect(stops.killedModels == ["b"])
        #expect(scheduler.state("a") == .stopping && scheduler.state("b") == .stopping)
    }
}
