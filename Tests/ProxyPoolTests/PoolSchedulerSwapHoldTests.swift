import TestSupport
import Testing

@testable import ProxyPool

/// Rent or buy (PoolScheduler+swapHold): an idle model used within its hold (its last load's
/// duration, at most `swapHold`) is not evicted for a model that waited less than that.
@Suite struct PoolSchedulerSwapHoldTests {
    /// "a" loaded in 500 ms and answered its request at `usedAt`; one child at most.
    func aLoadedAndUsed(usedAt: UInt64, swapHold: Double = 1) -> PoolScheduler {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, swapHold: swapHold)
        let lease = scheduler.load(.testing("a"), waiter: 1, now: 0, readyAt: milliseconds(500)).grants[1]!
        _ = scheduler.release(lease, now: usedAt)
        return scheduler
    }

    func holdTimers(_ actions: [PoolAction]) -> [(String, UInt64)] {
        actions.compactMap {
            guard case .armModelTimer(let timer, let deadline) = $0, timer.kind == .swapHold else { return nil }
            return (timer.modelID, deadline)
        }
    }

    @Test func aModelUsedAMomentAgoIsKeptUntilItsHoldEnds() {
        var scheduler = aLoadedAndUsed(usedAt: seconds(2))
        let waiting = scheduler.enqueue(.testing("b"), waiter: 2, now: seconds(2) + milliseconds(100))
        #expect(waiting.stoppedModels.isEmpty)
        let timers = holdTimers(waiting)
        #expect(timers.count == 1)
        #expect(timers.first?.0 == "b")
        // a's hold is its 500 ms load: it ends 500 ms after its last use, before b waited 500 ms.
        #expect(timers.first?.1 == seconds(2) + milliseconds(500))
        #expect(scheduler.holdTimerFired("b", now: seconds(2) + milliseconds(400)).stoppedModels.isEmpty)
        #expect(scheduler.holdTimerFired("b", now: seconds(2) + milliseconds(500)).stoppedModels == ["a"])
    }

    @Test func aRequestForTheHeldModelMeanwhileIsServedByIt() {
        var scheduler = aLoadedAndUsed(usedAt: seconds(2))
        _ = scheduler.enqueue(.testing("b"), waiter: 2, now: seconds(2) + milliseconds(100))
        #expect(scheduler.acquireIfReady("a") != nil, "a is still loaded and takes its own request at once")
    }

    @Test func aModelIdleForLongerThanItsHoldIsSwappedOutAtOnce() {
        var scheduler = aLoadedAndUsed(usedAt: seconds(2))
        let waiting = scheduler.enqueue(.testing("b"), waiter: 2, now: seconds(3))
        #expect(waiting.stoppedModels == ["a"])
        #expect(holdTimers(waiting).isEmpty)
    }

    @Test func aWaiterThatWaitedTheHoldGetsTheRoomEvenFromAModelJustUsed() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let lease = scheduler.load(.testing("a"), waiter: 1, now: 0, readyAt: milliseconds(500)).grants[1]!
        _ = scheduler.enqueue(.testing("b"), waiter: 2, now: seconds(1))  // a is busy: b waits
        // a's request ends 2 s later: b has waited longer than a's hold, so a goes at once.
        #expect(scheduler.release(lease, now: seconds(3)).stoppedModels == ["a"])
    }

    @Test func theHoldIsAtMostSwapHold() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, swapHold: 0.2)
        let lease = scheduler.load(.testing("a"), waiter: 1, now: 0, readyAt: seconds(5)).grants[1]!
        _ = scheduler.release(lease, now: seconds(6))
        let waiting = scheduler.enqueue(.testing("b"), waiter: 2, now: seconds(6))
        #expect(holdTimers(waiting).first?.1 == seconds(6) + milliseconds(200))
    }

    @Test func aSwapHoldOfZeroSwapsAtOnceAsBefore() {
        var scheduler = aLoadedAndUsed(usedAt: seconds(2), swapHold: 0)
        let waiting = scheduler.enqueue(.testing("b"), waiter: 2, now: seconds(2))
        #expect(waiting.stoppedModels == ["a"])
        #expect(holdTimers(waiting).isEmpty)
    }

    @Test func oneTimerIsArmedPerHoldNotPerPlacementPass() {
        var scheduler = aLoadedAndUsed(usedAt: seconds(2))
        let first = scheduler.enqueue(.testing("b"), waiter: 2, now: seconds(2) + milliseconds(10))
        let second = scheduler.enqueue(.testing("b"), waiter: 3, now: seconds(2) + milliseconds(20))
        #expect(holdTimers(first).count == 1)
        #expect(holdTimers(second).isEmpty)
    }

    /// Clients that fan out over three models with room for two: a burst every 700 ms asks for
    /// all three, its 9 requests spread over 300 ms in a seeded order; loads take 400 ms. Without
    /// a hold a model is swapped out in a gap between two of its burst's requests and loaded
    /// again; with one, the burst's requests gather first.
    @Test func burstsOverMoreModelsThanFitSwapLessWithTheHold() {
        func run(swapHold: Double) -> TraceRun {
            var run = TraceRun(scheduler: .testing(maxLoaded: 2, swapHold: swapHold), service: milliseconds(50), load: milliseconds(400))
            var random = SeededGenerator(seed: 7)
            for burst in 0..<20 {
                for request in 0..<9 {
                    let model = ["a", "b", "c"][Int(random.next() % 3)]
                    let offset = random.next() % 300
                    run.client([model], start: milliseconds(UInt64(burst) * 700 + offset + UInt64(request)))
                }
            }
            run.run()
            return run
        }
        let held = run(swapHold: 1)
        let eager = run(swapHold: 0)
        for outcome in [held, eager] {
            #expect(outcome.failures.isEmpty)
            #expect(outcome.waits.count == 180)
        }
        #expect(held.loads.count * 3 <= eager.loads.count * 2, "held \(held.loads.count) loads, eager \(eager.loads.count)")
    }
}
