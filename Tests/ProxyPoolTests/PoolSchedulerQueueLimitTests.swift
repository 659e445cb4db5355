import Testing
@testable import ProxyPool

/// A model's queue holds at most its `queueLimit` waiters: one more is refused at once with
/// `queueFull` and a retry hint, and never joins, starts or delays anything.
@Suite struct PoolSchedulerQueueLimitTests {
    let second: UInt64 = 1_000_000_000

    func spec(_ modelID: String, limit: Int = 1, queue: Int?) -> LaunchSpec {
        LaunchSpec(modelID: modelID, executable: "/bin/llama-server", arguments: [], concurrencyLimit: limit, queueLimit: queue)
    }

    @Test func aFullQueueOfAReadyModelRefusesAtOnce() {
        var scheduler = PoolScheduler.testing()
        let first = scheduler.loadReady("a", waiter: 1, at: 0, limit: 1).grants[1]!
        #expect(scheduler.enqueue(spec("a", queue: 2), waiter: 2, now: 1).failures.isEmpty)
        #expect(scheduler.enqueue(spec("a", queue: 2), waiter: 3, now: 1).failures.isEmpty)
        let refused = scheduler.enqueue(spec("a", queue: 2), waiter: 4, now: 1)
        #expect(refused.count == 1)  // the refusal and nothing else: no timer, no start
        #expect(refused.failures[4]?.kind == .queueFull)
        #expect(refused.failures[4]?.retryAfterSeconds == 1)
        #expect(refused.failures[4]?.message == "the queue of model 'a' is full: 2 requests wait for it (queue_max 2); retry in 1 s")
        #expect(scheduler.queued("a") == [2, 3])
        #expect(scheduler.statuses()["a"]?.queued == 2)
        // The slot turns over: waiter 2 is served, so there is room for one more.
        #expect(scheduler.release(first, now: 2).grants.keys.sorted() == [2])
        #expect(scheduler.enqueue(spec("a", queue: 2), waiter: 5, now: 3).failures.isEmpty)
        #expect(scheduler.queued("a") == [3, 5])
    }

    @Test func requestsInFlightDoNotCountAgainstTheQueue() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.loadReady("a", waiter: 1, at: 0, limit: 3)
        #expect(scheduler.acquireIfReady("a") != nil)
        #expect(scheduler.acquireIfReady("a") != nil)
        // Three in flight, none queued: a queue of one still takes one waiter.
        #expect(scheduler.enqueue(spec("a", limit: 3, queue: 1), waiter: 2, now: 1).failures.isEmpty)
        #expect(scheduler.enqueue(spec("a", limit: 3, queue: 1), waiter: 3, now: 1).failures[3]?.kind == .queueFull)
    }

    @Test func waitersForALoadCountAndTheHintIsTheLoadSoFar() {
        var scheduler = PoolScheduler.testing()
        let started = scheduler.enqueue(spec("a", queue: 2), waiter: 1, now: 0)
        #expect(started.startedModels == ["a"])
        #expect(scheduler.enqueue(spec("a", queue: 2), waiter: 2, now: 1 * second).failures.isEmpty)
        let refused = scheduler.enqueue(spec("a", queue: 2), waiter: 3, now: 2_500_000_000)
        #expect(refused.failures[3]?.kind == .queueFull)
        #expect(refused.failures[3]?.retryAfterSeconds == 3)  // loading for 2.5 s: about as long again
        #expect(refused.startedModels.isEmpty)
        let ready = scheduler.childReady("a", instance: scheduler.instance("a"), now: 3 * second)
        #expect(ready.grants.keys.sorted() == [1])
        #expect(scheduler.queued("a") == [2])
    }

    @Test func waitersForRoomCountToo() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        _ = scheduler.loadReady("a", waiter: 1, at: 0)
        #expect(scheduler.enqueue(spec("b", queue: 1), waiter: 2, now: 1).failures.isEmpty)
        let refused = scheduler.enqueue(spec("b", queue: 1), waiter: 3, now: 1)
        #expect(refused.failures[3]?.kind == .queueFull)
        #expect(refused.failures[3]?.retryAfterSeconds == 1)
        #expect(refused.failures[3]?.message == "the queue of model 'b' is full: 1 request waits for it (queue_max 1); retry in 1 s")
        #expect(scheduler.waitingForRoom == [2])
    }

    @Test func aFullQueueOfOneModelLeavesOthersAlone() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.loadReady("a", waiter: 1, at: 0, limit: 1)
        _ = scheduler.enqueue(spec("a", queue: 1), waiter: 2, now: 1)
        #expect(scheduler.enqueue(spec("a", queue: 1), waiter: 3, now: 1).failures[3]?.kind == .queueFull)
        #expect(scheduler.enqueue(spec("b", queue: 1), waiter: 4, now: 1).startedModels == ["b"])
    }

    @Test func noLimitQueuesEveryone() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.loadReady("a", waiter: 1, at: 0, limit: 1)
        for waiter in 2...2001 {
            #expect(scheduler.enqueue(spec("a", queue: nil), waiter: waiter, now: 1).failures.isEmpty)
        }
        #expect(scheduler.statuses()["a"]?.queued == 2000)
    }

    @Test func aRefusedWaiterLeavesNoTrace() {
        var scheduler = PoolScheduler.testing()
        let first = scheduler.loadReady("a", waiter: 1, at: 0, limit: 1).grants[1]!
        _ = scheduler.enqueue(spec("a", queue: 1), waiter: 2, now: 1)
        _ = scheduler.enqueue(spec("a", queue: 1), waiter: 3, now: 1)
        #expect(scheduler.cancel("a", waiter: 3, now: 2).isEmpty)  // never queued: nothing to cancel
        #expect(scheduler.queueTimedOut("a", waiter: 3, now: 700 * second).isEmpty)
        #expect(scheduler.release(first, now: 3).grants.keys.sorted() == [2])
        #expect(scheduler.queued("a").isEmpty)
    }
}
