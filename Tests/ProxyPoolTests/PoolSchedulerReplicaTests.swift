import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerReplicaTests {
    static let model = LaunchSpec(modelID: "m", executable: "/bin/llama-server", arguments: [], concurrencyLimit: 8, replicas: 2)

    /// Conversation keys whose home (first on the ring) is replica 1, and replica 2.
    static let homes: (one: [UInt64], two: [UInt64]) = {
        let ring = AffinityRing(replicas: 2)
        let keys = (0..<200).map { AffinityKey.of(Array("conversation \($0)".utf8)) }
        return (keys.filter { ring.order(for: $0)[0] == 0 }, keys.filter { ring.order(for: $0)[0] == 1 })
    }()

    @Test func conversationsWithDifferentHomesStartBothReplicasAndEachTurnGoesHome() {
        var scheduler = PoolScheduler.testing(maxLoaded: 4)
        let first = scheduler.acquire(Self.model, affinity: Self.homes.one[0], waiter: 1, now: 0)
        #expect(first.startedModels == ["m"])
        let second = scheduler.acquire(Self.model, affinity: Self.homes.two[0], waiter: 2, now: 1)
        #expect(second.startedModels == ["m#2"])
        #expect(scheduler.ready("m", now: 2).grants[1]?.replica == 1)
        #expect(scheduler.ready("m#2", now: 3).grants[2]?.replica == 2)
        for turn in 0..<5 {
            #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.one[turn]).replica == 1)
            #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.two[turn]).replica == 2)
        }
        #expect(scheduler.statuses()["m#2"]?.inFlight == 6)
    }

    @Test func aConversationWhoseReplicaIsNotLoadedIsServedByOneThatIsWhileItsOwnStarts() {
        var scheduler = PoolScheduler.testing(maxLoaded: 4)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.one[0], waiter: 1, now: 0)
        _ = scheduler.ready("m", now: 1)
        let routed = scheduler.routeToReplica(Self.model, affinity: Self.homes.two[0], now: 2)
        #expect(routed.spec.modelID == "m")
        #expect(routed.actions.startedModels == ["m#2"])
        #expect(routed.actions.logLines == ["replica warm start model=m#2: its conversations go to model=m until it is ready"])
        _ = scheduler.ready("m#2", now: 3)
        #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.two[0]).replica == 2)  // back home
    }

    @Test func aWarmStartNeverMakesRoom() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.one[0], waiter: 1, now: 0)
        _ = scheduler.ready("m", now: 1)
        let routed = scheduler.routeToReplica(Self.model, affinity: Self.homes.two[0], now: 2)
        #expect(routed.spec.modelID == "m")
        #expect(routed.actions.isEmpty)
    }

    @Test func aReplicaAtItsLoadBoundPassesTheConversationToTheNext() {
        var scheduler = PoolScheduler(configuration: PoolConfiguration(maxLoaded: 4, runtimeDirectory: "/run/p", replicaLoadSlack: 0.25))
        _ = scheduler.acquire(Self.model, affinity: Self.homes.one[0], waiter: 1, now: 0)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.two[0], waiter: 2, now: 0)
        _ = scheduler.ready("m", now: 1)
        _ = scheduler.ready("m#2", now: 1)
        // In flight: m 1, m#2 1. Home 1 takes two more (bound ⌈1.25 × 3/2⌉ = 2, then ⌈1.25 × 4/2⌉ = 3) …
        #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.one[1]).replica == 1)
        #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.one[2]).replica == 1)
        // … then m holds 3 of 4: ⌈1.25 × 5/2⌉ = 4 lets it take one more, ⌈1.25 × 6/2⌉ = 4 not.
        #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.one[3]).replica == 1)
        #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.one[4]).replica == 2)
    }

    @Test func theDefaultSlackLetsAReplicaHoldOneAndAHalfTimesTheMean() {
        var scheduler = PoolScheduler.testing(maxLoaded: 4)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.one[0], waiter: 1, now: 0)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.two[0], waiter: 2, now: 0)
        _ = scheduler.ready("m", now: 1)
        _ = scheduler.ready("m#2", now: 1)
        // m#2 holds 1; m holding k takes one more while k + 1 ≤ ⌈1.5 × (k + 2) / 2⌉, up to 6.
        for turn in 1..<6 {
            #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.one[turn]).replica == 1)
        }
        #expect(scheduler.statuses()["m"]?.inFlight == 6)
        #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.one[6]).replica == 2)
    }

    @Test func aFullReplicaQueuesItsConversationsUntilTheBoundThenStartsTheNextReplica() {
        var scheduler = PoolScheduler.testing(maxLoaded: 4)
        var spec = Self.model
        spec.concurrencyLimit = 2
        _ = scheduler.acquire(spec, affinity: Self.homes.one[0], waiter: 1, now: 0)
        _ = scheduler.ready("m", now: 1)
        _ = scheduler.acquireLease(spec, affinity: Self.homes.one[1])  // m: 2 of 2 slots
        // Under the bound (⌈1.5 × 3/2⌉ = 3) a full home is waited for: a slot beats a load.
        #expect(scheduler.acquire(spec, affinity: Self.homes.one[2], waiter: 3, now: 2).startedModels.isEmpty)
        #expect(scheduler.queued("m") == [3])
        // Past it (m holds 3, ⌈1.5 × 4/2⌉ = 3) the next replica starts for the request.
        #expect(scheduler.acquire(spec, affinity: Self.homes.one[3], waiter: 4, now: 3).startedModels == ["m#2"])
        #expect(scheduler.queued("m#2") == [4])
        #expect(scheduler.ready("m#2", now: 4).grants[4]?.replica == 2)
    }

    @Test func aRequestWithoutAConversationGoesToTheLeastBusyReplica() {
        var scheduler = PoolScheduler.testing(maxLoaded: 4)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.one[0], waiter: 1, now: 0)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.two[0], waiter: 2, now: 0)
        _ = scheduler.ready("m", now: 1)
        _ = scheduler.ready("m#2", now: 1)
        _ = scheduler.acquireLease(Self.model, affinity: Self.homes.one[1])  // m: 2, m#2: 1
        #expect(scheduler.acquireLease(Self.model, affinity: nil).replica == 2)
        #expect(scheduler.acquireLease(Self.model, affinity: nil).replica == 1)  // 2 each: the first
    }

    @Test func aDeadReplicasConversationsMoveToTheNextAndComeBackWhenItIsReady() {
        var scheduler = PoolScheduler.testing(maxLoaded: 4, restartBackoffMax: 60)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.one[0], waiter: 1, now: 0)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.two[0], waiter: 2, now: 0)
        _ = scheduler.ready("m", now: 1)
        let lease = scheduler.ready("m#2", now: 1).grants[2]!
        _ = scheduler.release(lease, now: seconds(1))
        // Killed: its socket refuses; the lease's child is killed, and the retry goes to m.
        let retry = scheduler.acquireLease(Self.model, affinity: Self.homes.two[0])
        #expect(retry.replica == 2)
        _ = scheduler.unreachable(retry, now: seconds(2))
        #expect(scheduler.state("m#2") == .stopping)
        #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.two[0]).replica == 1)
        // Its exit (right after it was ready: a failure) puts it in its backoff; the next
        // request still goes to m, and starts m#2 again once the backoff lets it.
        let exited = scheduler.childExited(
            "m#2", instance: scheduler.instance("m#2"), exit: ChildExit(description: "killed by signal 9", logTail: []), now: seconds(3))
        #expect(exited.failures.isEmpty)
        let moved = scheduler.routeToReplica(Self.model, affinity: Self.homes.two[0], now: seconds(3))
        #expect(moved.spec.modelID == "m")
        #expect(moved.actions.startedModels == ["m#2"])  // the first failure is retried at once
        _ = scheduler.ready("m#2", now: seconds(4))
        #expect(scheduler.acquireLease(Self.model, affinity: Self.homes.two[0]).replica == 2)
    }

    @Test func aReplicaInItsRestartBackoffIsSkipped() {
        var scheduler = PoolScheduler.testing(maxLoaded: 4, restartBackoffMax: 60)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.one[0], waiter: 1, now: 0)
        _ = scheduler.ready("m", now: 1)
        let failed = ChildExit(description: "exited with status 1", logTail: [])
        for attempt in UInt64(0)..<2 {  // the first failure is retried at once; the second waits 1 s
            let routed = scheduler.routeToReplica(Self.model, affinity: Self.homes.two[0], now: 2 + 2 * attempt)
            #expect(routed.spec.modelID == "m")
            #expect(routed.actions.startedModels == ["m#2"])
            _ = scheduler.childExited("m#2", instance: scheduler.instance("m#2"), exit: failed, now: 3 + 2 * attempt)
        }
        let routed = scheduler.routeToReplica(Self.model, affinity: Self.homes.two[0], now: 6)
        #expect(routed.spec.modelID == "m")
        #expect(routed.actions.isEmpty)  // no warm start during the backoff
        let later = scheduler.routeToReplica(Self.model, affinity: Self.homes.two[0], now: seconds(2))
        #expect(later.actions.startedModels == ["m#2"])
    }

    @Test func roundRobinTakesTheReplicasInTurnWhateverTheConversation() {
        var scheduler = PoolScheduler(
            configuration: PoolConfiguration(maxLoaded: 4, runtimeDirectory: "/run/p", replicaRouting: .roundRobin))
        _ = scheduler.acquire(Self.model, affinity: Self.homes.one[0], waiter: 1, now: 0)
        _ = scheduler.acquire(Self.model, affinity: Self.homes.one[0], waiter: 2, now: 0)
        #expect(scheduler.state("m") == .starting)
        #expect(scheduler.state("m#2") == .starting)
        _ = scheduler.ready("m", now: 1)
        _ = scheduler.ready("m#2", now: 1)
        let replicas = (0..<4).map { _ in scheduler.acquireLease(Self.model, affinity: Self.homes.one[0]).replica }
        #expect(replicas == [1, 2, 1, 2])
    }

    @Test func replicasOfOneModelInASwapGroupDoNotUnloadEachOther() {
        var scheduler = PoolScheduler.testing(maxLoaded: 4)
        var spec = Self.model
        spec.lifetime = ModelLifetime(group: ModelGroupRule(name: "g"))
        _ = scheduler.acquire(spec, affinity: Self.homes.one[0], waiter: 1, now: 0)
        _ = scheduler.ready("m", now: 1)
        let lease = scheduler.acquireLease(spec, affinity: Self.homes.one[0])
        _ = scheduler.release(lease, now: 2)
        let second = scheduler.acquire(spec, affinity: Self.homes.two[0], waiter: 2, now: 3)
        #expect(second.stoppedModels.isEmpty)
        #expect(scheduler.state("m#2") == .starting)
    }

    @Test func aModelWithoutReplicasIsRoutedAsItIs() {
        var scheduler = PoolScheduler.testing()
        let routed = scheduler.routeToReplica(.testing("a"), affinity: 42, now: 0)
        #expect(routed.spec == .testing("a"))
        #expect(routed.actions.isEmpty)
        #expect(LaunchSpec.testing("a").replica(1) == .testing("a"))
        #expect(Self.model.replica(3).modelID == "m#3")
        #expect(Self.model.replica(3).modelName == "m")
    }
}

extension PoolScheduler {
    /// What `ServerPool.acquire` does under its lock: route to a replica, then the fast path or the queue.
    mutating func acquire(_ spec: LaunchSpec, affinity: UInt64?, waiter: Int, now: UInt64) -> [PoolAction] {
        let routed = routeToReplica(spec, affinity: affinity, now: now)
        if let lease = acquireIfReady(routed.spec.modelID) { return routed.actions + [.grant(waiter: waiter, lease)] }
        return routed.actions + enqueue(routed.spec, waiter: waiter, now: now)
    }

    /// An acquire that must be served at once (the test fails otherwise).
    mutating func acquireLease(_ spec: LaunchSpec, affinity: UInt64?, now: UInt64 = 10) -> ServerLease {
        let actions = acquire(spec, affinity: affinity, waiter: 999, now: now)
        guard let lease = actions.grants[999] else {
            Issue.record("not served at once: \(actions)")
            return ServerLease(modelID: "-", endpoint: .unixSocket(path: ""), instance: 0, replica: 0)
        }
        return lease
    }
}
