import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerHealthTests {
    /// "a" loaded at 0 and idle since 1 s, checked every 10 s, killed after 3 failures.
    static func idleModel() -> (PoolScheduler, ServerLease) {
        var scheduler = PoolScheduler.testing(healthCheckInterval: 10, healthCheckFailures: 3)
        let loaded = scheduler.loadReady("a", waiter: 1, at: 0)
        #expect(loaded.healthTimerDeadlines == [10 * second])
        let lease = loaded.grants[1]!
        _ = scheduler.release(lease, now: 1 * second)
        return (scheduler, lease)
    }

    @Test func anIdleChildIsProbedAndAHealthyAnswerArmsTheNextCheck() {
        var (scheduler, lease) = Self.idleModel()
        #expect(scheduler.healthCheckDue("a", instance: lease.instance, now: 10 * second).probedModels == ["a"])
        // A second timer while the probe runs starts no second probe.
        #expect(scheduler.healthCheckDue("a", instance: lease.instance, now: 11 * second).isEmpty)
        let answered = scheduler.healthProbed("a", instance: lease.instance, healthy: true, now: 12 * second)
        #expect(answered.healthTimerDeadlines == [22 * second])
    }

    @Test func failedChecksInARowGetTheChildKilledAndTheNextRequestStartsItAfresh() {
        var (scheduler, lease) = Self.idleModel()
        let pid = scheduler.pidOf("a")
        var now = 10 * second
        for failure in 1...2 {
            _ = scheduler.healthCheckDue("a", instance: lease.instance, now: now)
            let failed = scheduler.healthProbed("a", instance: lease.instance, healthy: false, now: now + second)
            #expect(failed.logLines == ["health check failed model=a pid=\(pid) (\(failure) of 3 in a row)"])
            #expect(failed.healthTimerDeadlines == [now + 11 * second])
            now += 11 * second
        }
        _ = scheduler.healthCheckDue("a", instance: lease.instance, now: now)
        let killed = scheduler.healthProbed("a", instance: lease.instance, healthy: false, now: now + second)
        #expect(killed.killedModels == ["a"])
        #expect(killed.logLines == ["model=a pid=\(pid) failed 3 health checks in a row: killing it"])
        #expect(scheduler.state("a") == .stopping)
        let exited = scheduler.exit("a", now: now + second + 3_000_000)
        #expect(exited.logLines == ["unload model=a pid=\(pid) reason=unhealthy after 3 ms"])
        #expect(scheduler.enqueue(.testing("a"), waiter: 2, now: now + 2 * second).startedModels == ["a"])
    }

    @Test func aHealthyAnswerResetsTheCount() {
        var (scheduler, lease) = Self.idleModel()
        var now = 10 * second
        for healthy in [false, false, true, false, false] {
            _ = scheduler.healthCheckDue("a", instance: lease.instance, now: now)
            #expect(scheduler.healthProbed("a", instance: lease.instance, healthy: healthy, now: now + 1).killedModels.isEmpty)
            now += 10 * second
        }
        #expect(scheduler.state("a") == .ready)
    }

    @Test func aBusyChildIsNotProbed() {
        var (scheduler, lease) = Self.idleModel()
        _ = scheduler.healthCheckDue("a", instance: lease.instance, now: 10 * second)
        _ = scheduler.healthProbed("a", instance: lease.instance, healthy: false, now: 11 * second)
        let busy = scheduler.acquireIfReady("a")!
        let due = scheduler.healthCheckDue("a", instance: lease.instance, now: 21 * second)
        #expect(due.probedModels.isEmpty)
        #expect(due.healthTimerDeadlines == [31 * second])
        #expect(scheduler.models["a"]!.lifetimeState.healthFailures == 0)  // serving requests: alive
        _ = scheduler.release(busy, now: 22 * second)
    }

    @Test func aFailedProbeDuringWhichARequestRanDoesNotCount() {
        var (scheduler, lease) = Self.idleModel()
        _ = scheduler.healthCheckDue("a", instance: lease.instance, now: 10 * second)
        let request = scheduler.acquireIfReady("a")!
        _ = scheduler.release(request, now: 12 * second)  // it answered a request meanwhile
        let answered = scheduler.healthProbed("a", instance: lease.instance, healthy: false, now: 15 * second)
        #expect(answered.logLines.isEmpty)
        #expect(scheduler.models["a"]!.lifetimeState.healthFailures == 0)
        // And one still in flight when the probe ends counts as alive too.
        _ = scheduler.healthCheckDue("a", instance: lease.instance, now: 25 * second)
        let inFlight = scheduler.acquireIfReady("a")!
        #expect(scheduler.healthProbed("a", instance: lease.instance, healthy: false, now: 26 * second).logLines.isEmpty)
        _ = scheduler.release(inFlight, now: 27 * second)
    }

    @Test func aTimerOrAnswerForAChildThatIsGoneChangesNothing() {
        var (scheduler, lease) = Self.idleModel()
        _ = scheduler.healthCheckDue("a", instance: lease.instance, now: 10 * second)
        _ = scheduler.exit("a", now: 11 * second)
        #expect(scheduler.healthProbed("a", instance: lease.instance, healthy: false, now: 12 * second).isEmpty)
        #expect(scheduler.healthCheckDue("a", instance: lease.instance, now: 20 * second).isEmpty)
    }

    @Test func checksAreOffWithAnIntervalOfZero() {
        var scheduler = PoolScheduler.testing(healthCheckInterval: 0)
        #expect(scheduler.loadReady("a", waiter: 1, at: 0).healthTimerDeadlines.isEmpty)
    }
}
