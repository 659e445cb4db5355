import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerCollationTests {
    /// Room for one model; "a" is loaded and busy while requests for "b" and "c" arrive.
    func busyWithA(maxWait: Double) -> (PoolScheduler, ServerLease) {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, maxWait: maxWait)
        let a = scheduler.load(.testing("a", limit: 1), waiter: 1, now: 0).grants[1]!
        return (scheduler, a)
    }

    @Test func theModelWithMoreRequestsWaitingGetsTheRoomFirst() {
        var (scheduler, a) = busyWithA(maxWait: 30)
        _ = scheduler.enqueue(.testing("b", limit: 1), waiter: 2, now: seconds(1))
        for waiter in 3...5 { _ = scheduler.enqueue(.testing("c", limit: 1), waiter: waiter, now: seconds(UInt64(waiter - 1))) }
        #expect(scheduler.release(a, now: seconds(5)).stoppedModels == ["a"])
        #expect(scheduler.exit("a", now: seconds(6)).startedModels == ["c"])  // three served by one load; "b" (older) next
    }

    @Test func aModelPastTheStarvationBoundGoesFirst() {
        var (scheduler, a) = busyWithA(maxWait: 3)
        _ = scheduler.enqueue(.testing("b", limit: 1), waiter: 2, now: seconds(1))
        for waiter in 3...5 { _ = scheduler.enqueue(.testing("c", limit: 1), waiter: waiter, now: seconds(UInt64(waiter - 1))) }
        _ = scheduler.release(a, now: seconds(5))
        #expect(scheduler.exit("a", now: seconds(6)).startedModels == ["b"])  // it waited 5 s, past 3 s
    }

    @Test func higherPriorityIsLoadedFirstAmongModelsWaitingForRoom() {
        var (scheduler, a) = busyWithA(maxWait: 30)
        for waiter in 2...4 { _ = scheduler.enqueue(.testing("b", limit: 1), waiter: waiter, now: seconds(1)) }
        _ = scheduler.enqueue(.testing("urgent", limit: 1, priority: 5), waiter: 5, now: seconds(2))
        _ = scheduler.release(a, now: seconds(3))
        #expect(scheduler.exit("a", now: seconds(4)).startedModels == ["urgent"])
    }

    @Test func aLoadedModelServesItsOwnQueueBeforeItIsSwappedOut() {
        var (scheduler, a) = busyWithA(maxWait: 30)
        _ = scheduler.enqueue(.testing("b", limit: 1), waiter: 2, now: seconds(1))
        _ = scheduler.enqueue(.testing("a", limit: 1), waiter: 3, now: seconds(2))
        let released = scheduler.release(a, now: seconds(3))
        #expect(released.grants.keys.sorted() == [3])  // "a" keeps its room for its own request
        #expect(released.stoppedModels.isEmpty)
    }

    @Test func pastTheBoundTheLoadedModelTakesNoNewRequestsAndMakesRoom() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, maxWait: 10)
        let first = scheduler.load(.testing("a", limit: 2), waiter: 1, now: 0).grants[1]!
        let second = scheduler.acquireIfReady("a")!
        _ = scheduler.enqueue(.testing("b", limit: 2), waiter: 2, now: seconds(1))
        // Requests for "a" keep coming and are served while "b" waits less than 10 s.
        #expect(scheduler.release(first, now: seconds(5)).isEmpty)
        let third = scheduler.acquireIfReady("a")!
        let draining = scheduler.release(second, now: seconds(12))
        #expect(draining.logLines == ["drain model=a for model=b on host: its oldest request waited 11 s"])
        #expect(scheduler.acquireIfReady("a") == nil)  // draining: no fast path
        let queued = scheduler.enqueue(.testing("a", limit: 2), waiter: 3, now: seconds(13))
        #expect(queued.grants.isEmpty)
        #expect(scheduler.queued("a") == [3])
        let evicted = scheduler.release(third, now: seconds(14))  // the last one in flight ends: "a" goes, its waiter stays queued
        #expect(evicted.stoppedModels == ["a"])
        #expect(scheduler.exit("a", now: seconds(15)).startedModels == ["b"])
        #expect(scheduler.queued("a") == [3])
    }

    @Test func aDrainEndsWhenItsStarvingRequestLeaves() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, maxWait: 10)
        let first = scheduler.load(.testing("a", limit: 2), waiter: 1, now: 0).grants[1]!
        _ = scheduler.acquireIfReady("a")!
        _ = scheduler.enqueue(.testing("b", limit: 2), waiter: 2, now: seconds(1))
        _ = scheduler.release(first, now: seconds(12))
        #expect(scheduler.acquireIfReady("a") == nil)
        _ = scheduler.cancel("b", waiter: 2, now: seconds(13))
        #expect(scheduler.acquireIfReady("a") != nil)
    }

    /// Three models, room for one, 16 clients: five per model, each sending 12 requests one
    /// after another (the "b" and "c" groups start later, in bursts), and an agent that alternates
    /// "b" and "c" for 20 requests. 200 requests in all.
    func mixedTrace(maxWait: Double) -> TraceRun {
        var run = TraceRun(scheduler: .testing(maxLoaded: 1, maxWait: maxWait), service: seconds(1), load: milliseconds(500))
        for (group, start) in [("a", 0), ("b", 2), ("c", 4)] {
            for client in 0..<5 {
                run.client(Array(repeating: group, count: 12), start: seconds(UInt64(start)) + milliseconds(UInt64(client) * 50))
            }
        }
        run.client((0..<20).map { $0 % 2 == 0 ? "b" : "c" }, start: milliseconds(10))
        run.run()
        return run
    }

    @Test func collationCutsSwapsOnAMixedTraceAndTheStarvationBoundHolds() {
        let collated = mixedTrace(maxWait: 10)
        let eager = mixedTrace(maxWait: 0.001)  // every waiting model is past the bound at once
        let unbounded = mixedTrace(maxWait: 0)
        for run in [collated, eager, unbounded] {
            #expect(run.failures.isEmpty)
            #expect(run.waits.count == 200)
        }
        #expect(collated.loads.count * 2 <= eager.loads.count, "collated \(collated.loads.count) loads, eager \(eager.loads.count)")
        let longestCollated = collated.waits.values.max()!
        let longestUnbounded = unbounded.waits.values.max()!
        // Two other models may each hold the room for the bound first; then a drain takes the
        // requests in flight (1 s), the stop and the load; then this model's own queue.
        #expect(longestCollated <= seconds(2 * 10 + 6), "longest wait \(longestCollated / 1_000_000) ms")
        #expect(longestUnbounded > seconds(2 * 10 + 6), "without a bound a busy model keeps the room: \(longestUnbounded / 1_000_000) ms")
    }
}
