import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerPinningTests {
    static let pinned = ModelLifetime(pinned: true)

    @Test func aPinnedModelIsNeverChosenToMakeRoom() {
        var scheduler = PoolScheduler.testing(maxLoaded: 2)
        let a = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: Self.pinned).grants[1]!
        let b = scheduler.loadReady("b", waiter: 2, at: 1).grants[2]!
        _ = scheduler.release(a, now: 10)  // "a" is the least recently used
        _ = scheduler.release(b, now: 20)
        #expect(scheduler.enqueue(.testing("c"), waiter: 3, now: 30).stoppedModels == ["b"])
    }

    @Test func whenEverythingLoadedIsPinnedARequestWaitsUntilItsQueueTimeout() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, queueTimeout: 5)
        let a = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: Self.pinned).grants[1]!
        _ = scheduler.release(a, now: 1)
        let queued = scheduler.enqueue(.testing("b"), waiter: 2, now: 2)
        #expect(queued == [.armQueueTimer(modelID: "b", waiter: 2, deadline: 5 * second + 2)])
        #expect(scheduler.waitingForRoom == [2])
        #expect(scheduler.queueTimedOut("b", waiter: 2, now: 5 * second + 2).failures[2]?.kind == .queueTimeout)
        #expect(scheduler.state("a") == .ready)
    }

    @Test func aPinnedModelStillStopsAtShutdown() {
        var scheduler = PoolScheduler.testing()
        let a = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: Self.pinned).grants[1]!
        _ = scheduler.release(a, now: 1)
        _ = scheduler.beginShutdown()
        #expect(scheduler.stopAll(now: 2).stoppedModels == ["a"])
    }
}
