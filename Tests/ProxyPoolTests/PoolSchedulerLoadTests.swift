import Endpoints
import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerLoadTests {
    @Test func concurrentAcquiresOfAStartingModelShareOneLoad() {
        var scheduler = PoolScheduler.testing()
        var actions: [PoolAction] = []
        for waiter in 1...10 {
            actions += scheduler.enqueue(.testing("a"), waiter: waiter, now: 0)
        }
        #expect(actions.startedModels == ["a"])
        #expect(actions.grants.isEmpty)
        let instance = scheduler.instance("a")
        scheduler.childSpawned("a", instance: instance, pid: 42)
        let ready = scheduler.childReady("a", instance: instance, now: 123_000_000)
        #expect(Set(ready.grants.keys) == Set(1...10))
        #expect(Set(ready.grants.values.map(\.instance)) == [instance])
        #expect(ready.logLines == ["load model=a pid=42 ready in 123 ms"])
        #expect(scheduler.statuses()["a"] == ModelStatus(state: .ready, pid: 42, inFlight: 10, device: "host"))
    }

    @Test func readyModelIsLeasedOnTheFastPathAndReleased() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.loadReady("a", waiter: 1, at: 0)
        let lease = scheduler.acquireIfReady("a")
        #expect(lease?.modelID == "a")
        #expect(scheduler.acquireIfReady("b") == nil)
        #expect(scheduler.statuses()["a"]?.inFlight == 2)
        _ = scheduler.release(lease!, now: 5)
        #expect(scheduler.statuses()["a"]?.inFlight == 1)
    }

    @Test func childrenGetDistinctSocketsUnderTheRuntimeDirectory() {
        var scheduler = PoolScheduler.testing()
        let first = scheduler.enqueue(.testing("org/model a"), waiter: 1, now: 0)
        let second = scheduler.enqueue(.testing("b"), waiter: 2, now: 0)
        let endpoints = (first + second).compactMap { action -> UpstreamEndpoint? in
            if case .start(_, _, let endpoint, _) = action { endpoint } else { nil }
        }
        #expect(endpoints == [.unixSocket(path: "/run/p/org_model_a-1.sock"), .unixSocket(path: "/run/p/b-2.sock")])
    }

    @Test func aLateEventFromAReplacedChildChangesNothing() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.loadReady("a", waiter: 1, at: 0)
        let old = scheduler.instance("a")
        _ = scheduler.childExited("a", instance: old, exit: ChildExit(description: "killed", logTail: []), now: 1)
        _ = scheduler.enqueue(.testing("a"), waiter: 2, now: 2)
        #expect(scheduler.instance("a") != old)
        #expect(scheduler.childReady("a", instance: old, now: 3).isEmpty)
        #expect(scheduler.state("a") == .starting)
    }

    @Test func releaseOfALeaseOnADeadChildIsIgnored() {
        var scheduler = PoolScheduler.testing()
        let lease = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.childExited("a", instance: lease.instance, exit: ChildExit(description: "x", logTail: []), now: 1)
        _ = scheduler.loadReady("a", waiter: 2, at: 2)
        _ = scheduler.release(lease, now: 3)
        #expect(scheduler.statuses()["a"]?.inFlight == 1)
    }
}
