import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerPreloadTests {
    @Test func aPreloadStartsTheModelWithNobodyWaitingAndRequestsFindItReady() {
        var scheduler = PoolScheduler.testing()
        let actions = scheduler.preload(.testing("a"), now: 0)
        #expect(actions.startedModels == ["a"])
        #expect(actions.logLines == ["preload model=a"])
        let instance = scheduler.instance("a")
        scheduler.childSpawned("a", instance: instance, pid: 7)
        let ready = scheduler.childReady("a", instance: instance, now: 5_000_000)
        #expect(ready.logLines == ["load model=a pid=7 ready in 5 ms"])
        #expect(ready.grants.isEmpty)
        #expect(scheduler.acquireIfReady("a")?.instance == instance)
    }

    @Test func preloadsFillFreeSlotsOnlyAndEvictNothing() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        #expect(scheduler.preload(.testing("a"), now: 0).startedModels == ["a"])
        let skipped = scheduler.preload(.testing("b"), now: 1)
        #expect(skipped == [.log("preload skipped model=b: max_loaded (1) models are loaded")])
        #expect(scheduler.preload(.testing("a"), now: 2).isEmpty)  // already loading
    }

    @Test func aPreloadedModelWithATTLStartsItsClockWhenReady() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.preload(.testing("a", lifetime: .ttl(30)), now: 0)
        let instance = scheduler.instance("a")
        let ready = scheduler.childReady("a", instance: instance, now: 1 * second)
        #expect(ready.idleTimerDeadlines == [31 * second])
        #expect(scheduler.statuses()["a"]?.expiresAt == 31 * second)
    }

    @Test func aFailedPreloadIsLoggedAndFailsNobody() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.preload(.testing("a"), now: 0)
        let exited = scheduler.childExited(
            "a", instance: scheduler.instance("a"), exit: ChildExit(description: "exited with status 1", logTail: ["bad gguf"]),
            now: 2_000_000)
        #expect(exited.logLines == ["load failed model=a pid=- after 2 ms: exited with status 1; last output: bad gguf"])
        #expect(exited.failures.isEmpty)
        #expect(scheduler.state("a") == .stopped)
    }

    @Test func aPreloadThatItsGroupWouldMakeUnloadSomethingIsSkipped() {
        var scheduler = PoolScheduler.testing(maxLoaded: 3)
        _ = scheduler.loadReady("loose", waiter: 1, at: 0)
        let solo = LaunchSpec.testing("solo", lifetime: ModelLifetime(group: ModelGroupRule(name: "solo")))
        #expect(scheduler.preload(solo, now: 1) == [.log("preload skipped model=solo: its group would unload loose")])
    }
}
