import Testing
@testable import ProxyPool

/// A model that keeps failing is restarted only after a backoff: one failure is retried at once,
/// then 1 s, doubling, up to the maximum.
@Suite struct PoolSchedulerBackoffTests {
    let second: UInt64 = 1_000_000_000
    let failedStart = ChildExit(description: "exited with status 1", logTail: ["error: failed to load model"])

    /// Starts "a" for waiter `waiter` at `now` and lets it exit while loading.
    func failStart(_ scheduler: inout PoolScheduler, waiter: Int, at now: UInt64) -> [PoolAction] {
        let started = scheduler.enqueue(.testing("a"), waiter: waiter, now: now)
        guard let instance = started.startedInstances.first else {
            Issue.record("expected a start, got \(started)")
            return started
        }
        return started + scheduler.childExited("a", instance: instance, exit: failedStart, now: now + 1)
    }

    @Test func oneFailedStartIsRetriedAtOnce() {
        var scheduler = PoolScheduler.testing(restartBackoffMax: 60)
        #expect(failStart(&scheduler, waiter: 1, at: 0).failures[1]?.kind == .startFailed)
        let retried = scheduler.enqueue(.testing("a"), waiter: 2, now: 2)
        #expect(retried.startedModels == ["a"])
        #expect(retried.failures.isEmpty)
    }

    @Test func afterTwoFailedStartsRequestsFailFastUntilTheRetryTime() {
        var scheduler = PoolScheduler.testing(restartBackoffMax: 60)
        #expect(failStart(&scheduler, waiter: 1, at: 0).failures[1]?.kind == .startFailed)
        #expect(failStart(&scheduler, waiter: 2, at: 2).failures[2]?.kind == .startFailed)
        let refused = scheduler.enqueue(.testing("a"), waiter: 3, now: second / 2)
        #expect(refused.startedModels.isEmpty)
        let error = refused.failures[3]
        #expect(error?.kind == .startFailed)
        #expect(error?.message
            == "llama-server for model 'a' failed to start: exited with status 1 (2 times in a row); it will be started again in 1 s")
        #expect(error?.logTail == ["error: failed to load model"])
        #expect(error?.retryAfterSeconds == 1)
        #expect(scheduler.statuses()["a"]?.queued == 0)
        #expect(scheduler.enqueue(.testing("a"), waiter: 4, now: second + 4).startedModels == ["a"])  // retried
    }

    @Test func theBackoffDoublesUpToTheMaximum() {
        var scheduler = PoolScheduler.testing(restartBackoffMax: 5)
        _ = failStart(&scheduler, waiter: 100, at: 0)  // the first failure costs no wait
        var now: UInt64 = 2
        var delays: [Int?] = []
        for waiter in stride(from: 1, to: 10, by: 2) {
            _ = failStart(&scheduler, waiter: waiter, at: now)
            delays.append(scheduler.enqueue(.testing("a"), waiter: waiter + 1, now: now + 2).failures[waiter + 1]?.retryAfterSeconds)
            now = scheduler.models["a"]!.backoff.retryAt
        }
        #expect(delays == [1, 2, 4, 5, 5])
        let message = scheduler.enqueue(.testing("a"), waiter: 20, now: now - second).failures[20]?.message
        #expect(message?.hasSuffix("(6 times in a row); it will be started again in 1 s") == true)
    }

    @Test func aChangedConfigurationIsTriedAtOnce() {
        var scheduler = PoolScheduler.testing(restartBackoffMax: 60)
        _ = failStart(&scheduler, waiter: 1, at: 0)
        let fixed = scheduler.enqueue(.testing("a", arguments: ["--ctx-size", "512"]), waiter: 2, now: 2)
        #expect(fixed.startedModels == ["a"])
    }

    @Test func aChildThatDiesSoonAfterReadyIsRestartedForItsQueueThenBacksOff() {
        var scheduler = PoolScheduler.testing(restartBackoffMax: 60)
        let lease = scheduler.loadReady("a", waiter: 1, at: 0, limit: 1).grants[1]!
        _ = scheduler.enqueue(.testing("a", limit: 1), waiter: 2, now: 1)  // waits for the slot
        let crash = ChildExit(description: "killed by signal 11 (Segmentation fault)", logTail: ["ggml_abort"])
        let exited = scheduler.childExited("a", instance: lease.instance, exit: crash, now: 3 * second)
        #expect(exited.startedModels == ["a"], "one crash: the waiting request starts it again at once")
        #expect(exited.failures.isEmpty)
        guard let restarted = exited.startedInstances.first else {
            Issue.record("no restart in \(exited)")
            return
        }
        // The restart fails too: the second failure in a row, so the backoff begins.
        let failedAgain = scheduler.childExited("a", instance: restarted, exit: failedStart, now: 3 * second + 1)
        #expect(failedAgain.failures[2]?.kind == .startFailed)
        let refused = scheduler.enqueue(.testing("a", limit: 1), waiter: 3, now: 3 * second + 2)
        #expect(refused.startedModels.isEmpty)
        #expect(refused.failures[3]?.retryAfterSeconds == 1)
        #expect(refused.failures[3]?.message.hasSuffix("(2 times in a row); it will be started again in 1 s") == true)
        #expect(scheduler.enqueue(.testing("a", limit: 1), waiter: 4, now: 4 * second + 2).startedModels == ["a"])
    }

    @Test func aChildThatStayedUpClearsTheRecord() {
        var scheduler = PoolScheduler.testing(restartBackoffMax: 60)
        _ = failStart(&scheduler, waiter: 1, at: 0)
        _ = failStart(&scheduler, waiter: 2, at: 2 * second)  // second failure in a row: 2 s
        let lease = scheduler.loadReady("a", waiter: 3, at: 5_000).grants[3]!  // t = 5 s, up
        let crash = ChildExit(description: "killed by signal 9 (Killed)", logTail: [])
        let exited = scheduler.childExited("a", instance: lease.instance, exit: crash, now: 70 * second)
        #expect(exited.failures.isEmpty)
        #expect(scheduler.enqueue(.testing("a"), waiter: 4, now: 70 * second + 1).startedModels == ["a"])  // no backoff
    }

    @Test func noMaximumMeansNoBackoff() {
        var scheduler = PoolScheduler.testing(restartBackoffMax: 0)
        _ = failStart(&scheduler, waiter: 1, at: 0)
        #expect(scheduler.enqueue(.testing("a"), waiter: 2, now: 2).startedModels == ["a"])
    }

    @Test func aDeliberateStopIsNoFailure() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, restartBackoffMax: 60)
        let a = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.release(a, now: 1)
        _ = scheduler.enqueue(.testing("b"), waiter: 2, now: 2)  // evicts "a" right after it was ready
        _ = scheduler.childExited("a", instance: a.instance, exit: ChildExit(description: "exited with status 0", logTail: []), now: 3)
        let b = scheduler.instance("b")
        _ = scheduler.childReady("b", instance: b, now: 4)
        _ = scheduler.release(scheduler.lease(for: scheduler.models["b"]!), now: 5)
        #expect(scheduler.enqueue(.testing("a"), waiter: 3, now: 6).stoppedModels == ["b"])  // "a" may start again
    }
}
