import Testing
@testable import ProxyPool

extension [PoolAction] {
    var metrics: [PoolMetric] {
        compactMap { if case .record(let metric) = $0 { metric } else { nil } }
    }
}

/// The scheduler's life-cycle facts, as the metrics count them (never taken from log text).
@Suite struct PoolSchedulerMetricTests {
    @Test func aReadyLoadIsCountedWithItsDurationAndAnExitAsAnUnload() {
        var scheduler = PoolScheduler.testing()
        let load = scheduler.load(.testing("a"), waiter: 1, now: milliseconds(10), readyAt: milliseconds(1_510))
        #expect(load.metrics == [.loadFinished(modelID: "a", result: .ready, nanoseconds: milliseconds(1_500))])
        #expect(scheduler.exit("a", now: seconds(5)).metrics == [.unloaded(modelID: "a", reason: "exit")])
    }

    @Test func anEvictionIsAnUnloadWithItsReason() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1)
        let lease = scheduler.loadReady("a", waiter: 1, at: 0).grants[1]!
        _ = scheduler.release(lease, now: 2)
        let evicting = scheduler.enqueue(.testing("b"), waiter: 2, now: milliseconds(3))
        #expect(evicting.stoppedModels == ["a"])
        #expect(evicting.metrics.isEmpty)  // counted once the child is gone
        #expect(scheduler.exit("a", now: milliseconds(4)).metrics == [.unloaded(modelID: "a", reason: "evicted")])
    }

    @Test func aFailedLoadIsCountedAsFailedAndNotAsAnUnload() {
        var scheduler = PoolScheduler.testing()
        let start = scheduler.enqueue(.testing("a"), waiter: 1, now: milliseconds(100))
        let exit = scheduler.childExited(
            "a", instance: start.startedInstances[0], exit: ChildExit(description: "exited with status 1", logTail: []), now: milliseconds(350))
        #expect(exit.metrics == [.loadFinished(modelID: "a", result: .failed, nanoseconds: milliseconds(250))])
    }

    @Test func aTimedOutLoadIsCountedAndItsKilledChildIsAnUnloadWithThatReason() {
        var scheduler = PoolScheduler.testing()
        let start = scheduler.enqueue(.testing("a"), waiter: 1, now: 0)
        let timeout = scheduler.loadTimedOut("a", instance: start.startedInstances[0], logTail: [], now: seconds(60))
        #expect(timeout.metrics == [.loadFinished(modelID: "a", result: .timeout, nanoseconds: seconds(60))])
        #expect(scheduler.exit("a", now: seconds(61)).metrics == [.unloaded(modelID: "a", reason: "load-timeout")])
    }

    @Test func aLoadNobodyWaitsForIsCountedAsAbandoned() {
        var scheduler = PoolScheduler.testing()
        _ = scheduler.enqueue(.testing("a"), waiter: 1, now: 0)
        let cancel = scheduler.cancel("a", waiter: 1, now: milliseconds(40))
        #expect(cancel.metrics == [.loadFinished(modelID: "a", result: .abandoned, nanoseconds: milliseconds(40))])
    }
}
