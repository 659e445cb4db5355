import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerGroupTests {
    static func member(of name: String, swap: Bool = true, exclusive: Bool = true, persistent: Bool = false) -> ModelLifetime {
        ModelLifetime(group: ModelGroupRule(name: name, swap: swap, exclusive: exclusive, persistent: persistent))
    }

    /// Loads `modelID` and releases its lease at `at` milliseconds: loaded and idle.
    static func loadIdle(_ scheduler: inout PoolScheduler, _ modelID: String, _ waiter: Int, at: UInt64,
                         lifetime: ModelLifetime = ModelLifetime()) {
        let lease = scheduler.loadReady(modelID, waiter: waiter, at: at, lifetime: lifetime).grants[waiter]!
        _ = scheduler.release(lease, now: at * 1_000_000)
    }

    @Test func aSwappingGroupUnloadsTheLoadedMemberBeforeStartingAnother() {
        var scheduler = PoolScheduler.testing(maxLoaded: 3)
        let group = Self.member(of: "g", exclusive: false)
        Self.loadIdle(&scheduler, "a", 1, at: 0, lifetime: group)
        let pid = scheduler.pidOf("a")
        let queued = scheduler.enqueue(.testing("b", lifetime: group), waiter: 2, now: 10)
        #expect(queued.stoppedModels == ["a"])
        #expect(queued.startedModels.isEmpty)  // room there is, but "a" must be gone first
        #expect(queued.logLines == ["group g: model=b unloads model=a"])
        let exited = scheduler.exit("a", now: 20)
        #expect(exited.startedModels == ["b"])
        #expect(exited.logLines == ["unload model=a pid=\(pid) reason=group after 0 ms"])
    }

    @Test func aSwappingGroupWaitsForABusyMember() {
        var scheduler = PoolScheduler.testing(maxLoaded: 3)
        let group = Self.member(of: "g", exclusive: false)
        let a = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: group).grants[1]!
        let queued = scheduler.enqueue(.testing("b", lifetime: group), waiter: 2, now: 10)
        #expect(queued.stoppedModels.isEmpty)
        #expect(queued.startedModels.isEmpty)
        #expect(queued.armedTimers.keys.sorted() == [2])  // its queue clock runs meanwhile
        #expect(scheduler.release(a, now: 20).stoppedModels == ["a"])
    }

    @Test func anExclusiveGroupUnloadsEveryOtherModelButPinnedAndPersistentOnes() {
        var scheduler = PoolScheduler.testing(maxLoaded: 5)
        Self.loadIdle(&scheduler, "loose", 1, at: 0)
        Self.loadIdle(&scheduler, "pinned", 2, at: 1, lifetime: ModelLifetime(pinned: true))
        Self.loadIdle(&scheduler, "kept", 3, at: 2, lifetime: Self.member(of: "keep", swap: false, exclusive: false, persistent: true))
        Self.loadIdle(&scheduler, "other", 4, at: 3, lifetime: Self.member(of: "other", swap: false, exclusive: false))
        let queued = scheduler.enqueue(.testing("solo", lifetime: Self.member(of: "solo")), waiter: 5, now: 10)
        #expect(queued.stoppedModels.sorted() == ["loose", "other"])
        #expect(queued.startedModels.isEmpty)
        _ = scheduler.exit("loose", now: 20)
        #expect(scheduler.state("solo") == .stopped)  // "other" is still on its way out
        #expect(scheduler.exit("other", now: 30).startedModels == ["solo"])
        #expect(scheduler.state("pinned") == .ready)
        #expect(scheduler.state("kept") == .ready)
    }

    @Test func anExclusiveLoadWaitsForBusyModelsOfOtherGroupsAndQueuesBehindIt() {
        var scheduler = PoolScheduler.testing(maxLoaded: 3)
        let busy = scheduler.loadReady("busy", waiter: 1, at: 0).grants[1]!
        let queued = scheduler.enqueue(.testing("solo", lifetime: Self.member(of: "solo")), waiter: 2, now: 10)
        #expect(queued.stoppedModels.isEmpty)
        // A later request for another unloaded model does not start ahead of it.
        #expect(scheduler.enqueue(.testing("late"), waiter: 3, now: 11).startedModels.isEmpty)
        #expect(scheduler.release(busy, now: 20).stoppedModels == ["busy"])
        #expect(scheduler.exit("busy", now: 30).startedModels == ["solo", "late"])
    }

    @Test func pastTheStarvationBoundABusyModelInTheWayDrains() {
        var scheduler = PoolScheduler.testing(maxLoaded: 3, maxWait: 5)
        let held = scheduler.loadReady("busy", waiter: 1, at: 0).grants[1]!
        _ = scheduler.enqueue(.testing("solo", lifetime: Self.member(of: "solo")), waiter: 2, now: 1 * second)
        _ = scheduler.place(now: 3 * second)
        let early = scheduler.acquireIfReady("busy")  // within the bound it still takes requests
        #expect(early != nil)
        _ = scheduler.release(early!, now: 3 * second)
        _ = scheduler.place(now: 7 * second)
        #expect(scheduler.acquireIfReady("busy") == nil)  // past it, it drains: new requests queue
        #expect(scheduler.enqueue(.testing("busy"), waiter: 3, now: 7 * second).grants.isEmpty)
        let released = scheduler.release(held, now: 8 * second)
        #expect(released.stoppedModels == ["busy"])
        #expect(released.logLines == ["group solo: model=solo unloads model=busy"])
        // "solo" first; "busy" is ungrouped, so it may then load beside it for its queued request.
        #expect(scheduler.exit("busy", now: 9 * second).startedModels == ["solo", "busy"])
    }

    @Test func membersOfANonSwappingGroupRunTogether() {
        var scheduler = PoolScheduler.testing(maxLoaded: 2)
        let together = Self.member(of: "pair", swap: false, exclusive: false)
        Self.loadIdle(&scheduler, "a", 1, at: 0, lifetime: together)
        let b = scheduler.loadReady("b", waiter: 2, at: 1, lifetime: together)
        #expect(b.stoppedModels.isEmpty)
        #expect(b.grants[2] != nil)
        #expect(scheduler.state("a") == .ready)
    }

    @Test func makingRoomForAMemberEvictsModelsOutsideItsGroupFirst() {
        var scheduler = PoolScheduler.testing(maxLoaded: 2)
        let together = Self.member(of: "pair", swap: false, exclusive: false)
        Self.loadIdle(&scheduler, "a", 1, at: 0, lifetime: together)  // least recently used
        Self.loadIdle(&scheduler, "loose", 2, at: 1)
        #expect(scheduler.enqueue(.testing("b", lifetime: together), waiter: 3, now: 10 * 1_000_000).stoppedModels == ["loose"])
    }

    @Test func aPersistentGroupIsNotEvictedForAnOutsiderButIsForItsOwnMembers() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let kept = Self.member(of: "keep", swap: false, exclusive: false, persistent: true)
        Self.loadIdle(&scheduler, "a", 1, at: 0, lifetime: kept)
        #expect(scheduler.enqueue(.testing("outsider"), waiter: 2, now: 10).stoppedModels.isEmpty)
        _ = scheduler.cancel("outsider", waiter: 2, now: 11)
        #expect(scheduler.enqueue(.testing("b", lifetime: kept), waiter: 3, now: 12).stoppedModels == ["a"])
    }

    @Test func ungroupedModelsFollowNoGroupRule() {
        var scheduler = PoolScheduler.testing(maxLoaded: 3)
        Self.loadIdle(&scheduler, "solo", 1, at: 0, lifetime: Self.member(of: "solo"))
        let loose = scheduler.loadReady("loose", waiter: 2, at: 1)
        #expect(loose.stoppedModels.isEmpty)
        #expect(scheduler.state("solo") == .ready)
    }
}
