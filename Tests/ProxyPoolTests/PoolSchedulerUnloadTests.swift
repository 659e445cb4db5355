import Testing
@testable import ProxyPool

/// Unloading on request (`POST /models/unload`): a scheduler input that returns actions.
@Suite struct PoolSchedulerUnloadTests {
    @Test func anIdleModelStopsAtOnceWithReasonRequested() {
        var scheduler = PoolScheduler.testing()
        let lease = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.release(lease, now: 1 * second)
        let pid = scheduler.pidOf("a")
        let unloaded = scheduler.unload("a", now: 2 * second)
        #expect(unloaded.stoppedModels == ["a"])
        #expect(unloaded.logLines == ["unload requested model=a pid=\(pid)"])
        #expect(scheduler.state("a") == .stopping)
        #expect(scheduler.histories()["a"]?.stopReason == "requested")
        let exited = scheduler.exit("a", now: 2 * second + milliseconds(7))
        #expect(exited.logLines == ["unload model=a pid=\(pid) reason=requested after 7 ms"])
        #expect(exited.metrics == [.unloaded(modelID: "a", reason: "requested")])
        #expect(scheduler.state("a") == .stopped)
    }

    @Test func aBusyModelDrainsItsRequestsInFlightThenStops() {
        var scheduler = PoolScheduler.testing()
        let first = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        let second_ = scheduler.acquireIfReady("a")!
        let unloading = scheduler.unload("a", now: 1 * second)
        #expect(unloading.stoppedModels.isEmpty)  // two requests are still being answered
        #expect(unloading.logLines == ["unload requested model=a pid=\(scheduler.pidOf("a")): stops when its 2 request(s) in flight end"])
        #expect(scheduler.state("a") == .ready)
        #expect(scheduler.histories()["a"]?.stopReason == "requested")
        // No new request gets a slot on it meanwhile.
        #expect(scheduler.acquireIfReady("a") == nil)
        #expect(scheduler.enqueue(.testing("a"), waiter: 3, now: 2 * second).grants.isEmpty)
        #expect(scheduler.release(first, now: 3 * second).stoppedModels.isEmpty)
        #expect(scheduler.release(second_, now: 4 * second).stoppedModels == ["a"])
        #expect(scheduler.state("a") == .stopping)
        // The request that came after the unload loads it again once it has stopped.
        let exited = scheduler.exit("a", now: 5 * second)
        #expect(exited.startedModels == ["a"])
        #expect(scheduler.queued("a") == [3])
        #expect(scheduler.ready("a", now: 6 * second).grants.keys.sorted() == [3])
        #expect(scheduler.histories()["a"]?.restarts == 1)
    }

    @Test func requestsQueuedWhenTheUnloadIsAskedForFail() {
        var scheduler = PoolScheduler.testing()
        let lease = scheduler.loadReady("a", waiter: 1, at: 0, limit: 1).grants[1]!
        _ = scheduler.enqueue(.testing("a", limit: 1), waiter: 2, now: 1 * second)
        #expect(scheduler.queued("a") == [2])
        let unloading = scheduler.unload("a", now: 2 * second)
        #expect(unloading.failures[2]?.kind == .unloaded)
        #expect(scheduler.queued("a").isEmpty)
        #expect(scheduler.release(lease, now: 3 * second).stoppedModels == ["a"])
    }

    @Test func aLoadingModelIsKilledAndItsWaitersFail() {
        var scheduler = PoolScheduler.testing()
        let started = scheduler.enqueue(.testing("a"), waiter: 1, now: 0)
        #expect(started.startedModels == ["a"])
        let unloaded = scheduler.unload("a", now: 1 * second)
        #expect(unloaded.killedModels == ["a"])
        #expect(unloaded.failures[1]?.kind == .unloaded)
        #expect(unloaded.metrics == [.loadFinished(modelID: "a", result: .abandoned, nanoseconds: 1 * second)])
        #expect(scheduler.state("a") == .stopping)
        #expect(scheduler.exit("a", now: 2 * second).metrics == [.unloaded(modelID: "a", reason: "requested")])
    }

    @Test func aPinnedModelIsUnloadedOnRequest() {
        var scheduler = PoolScheduler.testing()
        let lease = scheduler.loadReady("a", waiter: 1, at: 0, lifetime: ModelLifetime(pinned: true)).grants[1]!
        _ = scheduler.release(lease, now: 1 * second)
        #expect(scheduler.unload("a", now: 2 * second).stoppedModels == ["a"])
    }

    @Test func unknownStoppedAndStoppingModelsAreLeftAlone() {
        var scheduler = PoolScheduler.testing()
        #expect(scheduler.unload("nothing", now: 0).isEmpty)
        let lease = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.release(lease, now: 1 * second)
        #expect(scheduler.unload("a", now: 2 * second).stoppedModels == ["a"])
        #expect(scheduler.unload("a", now: 3 * second).isEmpty)  // already stopping
        _ = scheduler.exit("a", now: 4 * second)
        #expect(scheduler.unload("a", now: 5 * second).isEmpty)
    }

    @Test func requestsWaitingForRoomForAModelThatIsNotLoadedKeepWaiting() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        _ = scheduler.loadReady("a", waiter: 1, at: 0)  // busy: "b" must wait for room
        _ = scheduler.enqueue(.testing("b"), waiter: 2, now: 1 * second)
        #expect(scheduler.state("b") == .stopped)
        #expect(scheduler.unload("b", now: 2 * second).isEmpty)
        #expect(scheduler.queued("b") == [2])
        #expect(scheduler.unloadAll(now: 3 * second).failures.isEmpty)  // "a" drains; "b" still waits
        #expect(scheduler.queued("b") == [2])
    }

    @Test func unloadAllStopsEveryLoadedModel() {
        var scheduler = PoolScheduler.testing(maxLoaded: 3)
        for (waiter, name) in ["a", "b"].enumerated() {
            let lease = scheduler.loadReady(name, waiter: waiter + 1, at: 0).grants[waiter + 1]!
            _ = scheduler.release(lease, now: 1 * second)
        }
        _ = scheduler.enqueue(.testing("c"), waiter: 3, now: 1 * second)  // loading
        let unloaded = scheduler.unloadAll(now: 2 * second)
        #expect(unloaded.stoppedModels == ["a", "b"])
        #expect(unloaded.killedModels == ["c"])
    }

    @Test func aFailedLoadIsItsLastErrorAndARestartIsCounted() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.enqueue(.testing("a"), waiter: 1, now: 0)
        _ = scheduler.childExited("a", instance: scheduler.instance("a"), exit: ChildExit(description: "exited with status 1", logTail: []), now: 1 * second)
        #expect(scheduler.histories()["a"]?.lastError == "llama-server for model 'a' failed to start: exited with status 1")
        #expect(scheduler.histories()["a"]?.restarts == 0)
        _ = scheduler.loadReady("a", waiter: 2, at: 2_000)
        #expect(scheduler.histories()["a"]?.restarts == 1)
        #expect(scheduler.histories()["a"]?.lastLoadDuration == 0)
    }
}

/// The events `GET /events` is made of: the difference between two scheduler states.
@Suite struct PoolEventChangesTests {
    @Test func aLoadAndAnEvictionAreSeenWithTheirReason() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        var published = scheduler.eventSnapshots()
        func step(_ body: (inout PoolScheduler) -> Void) -> [PoolEvent] {
            body(&scheduler)
            let now = scheduler.eventSnapshots()
            defer { published = now }
            return PoolEvent.changes(from: published, to: now)
        }
        #expect(step { _ = $0.enqueue(.testing("a"), waiter: 1, now: 0) } == [
            .state(modelID: "a", state: .starting, reason: nil, failure: nil),
            .queue(modelID: "a", queued: 1, inFlight: 0),
        ])
        #expect(step { _ = $0.ready("a", now: 1 * second) } == [
            .state(modelID: "a", state: .ready, reason: nil, failure: nil),
            .queue(modelID: "a", queued: 0, inFlight: 1),
        ])
        let lease = ServerLease(modelID: "a", endpoint: scheduler.models["a"]!.endpoint, instance: scheduler.instance("a"))
        #expect(step { _ = $0.release(lease, now: 2 * second) } == [])  // in flight alone is no event
        #expect(step { _ = $0.enqueue(.testing("b"), waiter: 2, now: 3 * second) } == [
            .state(modelID: "a", state: .stopping, reason: "evicted", failure: nil),
            .queue(modelID: "b", queued: 1, inFlight: 0),
        ])
        #expect(step { _ = $0.exit("a", now: 4 * second) } == [
            .state(modelID: "a", state: .stopped, reason: nil, failure: nil),
            .state(modelID: "b", state: .starting, reason: nil, failure: nil),
        ])
    }

    @Test func aFailedLoadCarriesItsError() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.enqueue(.testing("a"), waiter: 1, now: 0)
        let before = scheduler.eventSnapshots()
        _ = scheduler.childExited("a", instance: scheduler.instance("a"), exit: ChildExit(description: "exited with status 1", logTail: []), now: 1)
        #expect(PoolEvent.changes(from: before, to: scheduler.eventSnapshots()) == [
            .state(modelID: "a", state: .stopped, reason: nil, failure: "llama-server for model 'a' failed to start: exited with status 1"),
            .queue(modelID: "a", queued: 0, inFlight: 0),
        ])
    }

    @Test func anUnloadOfABusyModelIsAnnouncedAtOnce() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.loadReady("a", waiter: 1, at: 0)
        let before = scheduler.eventSnapshots()
        _ = scheduler.unload("a", now: 1 * second)
        #expect(PoolEvent.changes(from: before, to: scheduler.eventSnapshots()) == [
            .state(modelID: "a", state: .ready, reason: "requested", failure: nil),
        ])
    }
}
