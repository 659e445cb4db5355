import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerTTLTests {
    @Test func anIdleModelIsUnloadedWhenItsTTLRunsOut() {
        var scheduler = PoolScheduler.testing()
        let lease = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: .ttl(60)).grants[1]!
        let released = scheduler.release(lease, now: 1 * second)
        #expect(released.idleTimerDeadlines == [61 * second])
        #expect(scheduler.statuses()["a"]?.expiresAt == 61 * second)
        // A timer that wakes a moment early re-arms for the same expiry; nothing stops.
        let early = scheduler.idleTimerFired("a", instance: lease.instance, deadline: 61 * second, now: 61 * second - 1)
        #expect(early.idleTimerDeadlines == [61 * second])
        #expect(early.stoppedModels.isEmpty)
        #expect(scheduler.state("a") == .ready)
        let fired = scheduler.idleTimerFired("a", instance: lease.instance, deadline: 61 * second, now: 61 * second)
        #expect(fired.stoppedModels == ["a"])
        #expect(scheduler.statuses()["a"]?.expiresAt == nil)
        let pid = scheduler.pidOf("a")
        let exited = scheduler.exit("a", now: 61 * second + 5_000_000)
        #expect(exited.logLines == ["unload model=a pid=\(pid) reason=ttl after 5 ms"])
    }

    @Test func aRequestMeanwhilePushesTheExpiryBackWithoutAnotherTimer() {
        var scheduler = PoolScheduler.testing()
        let first = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: .ttl(60)).grants[1]!
        #expect(scheduler.release(first, now: 1 * second).idleTimerDeadlines == [61 * second])
        let second_ = scheduler.acquireIfReady("a")!
        #expect(scheduler.release(second_, now: 40 * second).idleTimerDeadlines.isEmpty)  // the pending one fires first
        #expect(scheduler.statuses()["a"]?.expiresAt == 100 * second)
        let early = scheduler.idleTimerFired("a", instance: first.instance, deadline: 61 * second, now: 61 * second)
        #expect(early.stoppedModels.isEmpty)
        #expect(early.idleTimerDeadlines == [100 * second])
        #expect(scheduler.idleTimerFired("a", instance: first.instance, deadline: 100 * second, now: 100 * second).stoppedModels == ["a"])
    }

    @Test func aBusyModelIsNotUnloadedAndItsNextReleaseStartsTheTTLAgain() {
        var scheduler = PoolScheduler.testing()
        let first = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: .ttl(60)).grants[1]!
        _ = scheduler.release(first, now: 1 * second)
        let busy = scheduler.acquireIfReady("a")!
        #expect(scheduler.statuses()["a"]?.expiresAt == nil)  // busy: no expiry
        #expect(scheduler.idleTimerFired("a", instance: first.instance, deadline: 61 * second, now: 61 * second).isEmpty)
        #expect(scheduler.state("a") == .ready)
        #expect(scheduler.release(busy, now: 70 * second).idleTimerDeadlines == [130 * second])
    }

    @Test func withoutATTLNoTimerIsArmed() {
        var scheduler = PoolScheduler.testing()
        let lease = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        #expect(scheduler.release(lease, now: 1 * second).isEmpty)
        #expect(scheduler.statuses()["a"]?.expiresAt == nil)
    }

    @Test func keepAliveZeroUnloadsTheModelAsSoonAsItIsIdle() {
        var scheduler = PoolScheduler.testing()
        let granted = scheduler.loadReady("a", waiter: 1, at: 0)
        let one = granted.grants[1]!
        let two = scheduler.acquireIfReady("a")!
        #expect(scheduler.release(one, keepAlive: .nanoseconds(0), now: 1 * second).stoppedModels.isEmpty)  // still busy
        // The last request to finish decides: this one asks for nothing, so the (absent) TTL holds.
        #expect(scheduler.release(two, now: 2 * second).stoppedModels.isEmpty)
        let three = scheduler.acquireIfReady("a")!
        let released = scheduler.release(three, keepAlive: .nanoseconds(0), now: 3 * second)
        #expect(released.stoppedModels == ["a"])
        let pid = scheduler.pidOf("a")
        #expect(scheduler.exit("a", now: 3 * second).logLines == ["unload model=a pid=\(pid) reason=ttl after 0 ms"])
    }

    @Test func keepAliveOverridesTheConfiguredTTLBothWays() {
        var scheduler = PoolScheduler.testing()
        let lease = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: .ttl(600)).grants[1]!
        let kept = scheduler.release(lease, keepAlive: .forever, now: 1 * second)
        #expect(kept.idleTimerDeadlines.isEmpty)
        #expect(scheduler.statuses()["a"]?.expiresAt == nil)
        let again = scheduler.acquireIfReady("a")!
        // A shorter keep_alive than the pending timer arms an earlier one.
        #expect(scheduler.release(again, keepAlive: .nanoseconds(5 * second), now: 10 * second).idleTimerDeadlines == [15 * second])
        #expect(scheduler.idleTimerFired("a", instance: lease.instance, deadline: 15 * second, now: 15 * second).stoppedModels == ["a"])
    }

    @Test func aPinnedModelIgnoresItsTTLAndKeepAlive() {
        var scheduler = PoolScheduler.testing()
        let pinned = ModelLifetime(idleTTL: 60 * second, pinned: true)
        let lease = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: pinned).grants[1]!
        #expect(scheduler.release(lease, keepAlive: .nanoseconds(0), now: 1 * second).isEmpty)
        #expect(scheduler.state("a") == .ready)
        #expect(scheduler.statuses()["a"]?.expiresAt == nil)
    }

    @Test func aTimerOfAnEarlierChildChangesNothing() {
        var scheduler = PoolScheduler.testing()
        let lease = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: .ttl(60)).grants[1]!
        _ = scheduler.release(lease, now: 1 * second)
        _ = scheduler.exit("a", now: 2 * second)  // it crashed
        let restarted = scheduler.loadReady("a", waiter: 2, at: 3_000, lifetime: .ttl(60)).grants[2]!
        #expect(restarted.instance != lease.instance)
        #expect(scheduler.idleTimerFired("a", instance: lease.instance, deadline: 61 * second, now: 61 * second).isEmpty)
        #expect(scheduler.state("a") == .ready)
        // The new child's own first release arms its own timer.
        #expect(scheduler.release(restarted, now: 70 * second).idleTimerDeadlines == [130 * second])
    }

    @Test func aTTLUnloadHandsItsSlotToTheQueueWithoutAnotherEviction() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.enqueue(.testing("b"), waiter: 2, now: 1)  // waits for room
        let released = scheduler.release(a, keepAlive: .nanoseconds(0), now: 2)
        #expect(released.stoppedModels == ["a"])
        #expect(released.startedModels.isEmpty)
        #expect(scheduler.exit("a", now: 3).startedModels == ["b"])
    }
}
