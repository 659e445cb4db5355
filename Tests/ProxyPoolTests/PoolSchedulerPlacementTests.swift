import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerPlacementTests {
    let twoDevices: [PoolDevice] = [.testing("gpu0", mebibytes: 1000), .testing("host", mebibytes: 500)]

    @Test func eachModelGoesWhereItFitsWithTheLeastRoomLeftOver() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: twoDevices)
        #expect(scheduler.load(.testing("a", mebibytes: 800), waiter: 1, now: 0).starts == ["a": "gpu0"])  // only gpu0 holds it
        #expect(scheduler.load(.testing("b", mebibytes: 400), waiter: 2, now: 1).starts == ["b": "host"])  // gpu0 has 200 left
        #expect(scheduler.load(.testing("c", mebibytes: 100), waiter: 3, now: 2).starts == ["c": "host"])  // 100 left there, 200 on gpu0
        #expect(scheduler.load(.testing("d", mebibytes: 150), waiter: 4, now: 3).starts == ["d": "gpu0"])
        #expect(scheduler.statuses()["d"]?.device == "gpu0")
        #expect(scheduler.statuses()["d"]?.memoryBytes == 150 * PoolDevice.mebibyte)
    }

    @Test func aModelGoesOnlyWhereItMayEvenWithRoomElsewhere() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: twoDevices)
        _ = scheduler.load(.testing("big", mebibytes: 900), waiter: 1, now: 0)
        let c = scheduler.load(.testing("c", mebibytes: 500, devices: ["host"]), waiter: 2, now: 1).grants[2]!
        // "e" fits on gpu0 (100 MiB free) but may only use the host, which is full and busy: it waits.
        let waiting = scheduler.enqueue(.testing("e", mebibytes: 50, devices: ["host"]), waiter: 3, now: 2)
        #expect(waiting.startedModels.isEmpty && waiting.stoppedModels.isEmpty)
        let released = scheduler.release(c, now: 3)
        #expect(released.stoppedModels == ["c"])
        #expect(released.logLines == ["evict model=c pid=1002 on host (500 MiB) for model=e (50 MiB on host)"])
        #expect(scheduler.exit("c", now: 4).starts == ["e": "host"])
    }

    @Test func aModelThatCanNeverFitFailsAtOnceWithTheNumbers() {
        var scheduler = PoolScheduler.testing(devices: twoDevices)
        let huge = scheduler.enqueue(.testing("huge", mebibytes: 1200), waiter: 1, now: 0)
        #expect(huge.failures[1]?.kind == .tooLarge)
        #expect(huge.failures[1]?.message == "model 'huge' needs 1200 MiB (estimate), more than any device it may use has: gpu0 1000 MiB, host 500 MiB")
        let pinned = scheduler.enqueue(.testing("mid", mebibytes: 800, configured: true, devices: ["host"]), waiter: 2, now: 0)
        #expect(pinned.failures[2]?.message == "model 'mid' needs 800 MiB (memory_mib), more than any device it may use has: host 500 MiB")
        #expect(scheduler.statuses()["huge"]?.queued == 0)
        #expect(scheduler.load(.testing("fits", mebibytes: 1000), waiter: 3, now: 1).starts == ["fits": "gpu0"])  // exactly the budget
    }

    @Test func evictionPrefersSeveralLongIdleSmallModelsOverOneJustUsed() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: [.testing("gpu0", mebibytes: 1000)])
        var leases: [String: ServerLease] = [:]
        for (waiter, (name, size)) in [("s1", 200), ("s2", 200), ("s3", 200), ("big", 400)].enumerated() {
            leases[name] = scheduler.load(.testing(name, mebibytes: UInt64(size)), waiter: waiter, now: 0).grants[waiter]!
        }
        for name in ["s1", "s2", "s3"] { _ = scheduler.release(leases[name]!, now: seconds(1)) }
        _ = scheduler.release(leases["big"]!, now: seconds(100))
        let actions = scheduler.enqueue(.testing("n", mebibytes: 400), waiter: 9, now: seconds(101))
        #expect(actions.stoppedModels.sorted() == ["s1", "s2"])
        #expect(actions.startedModels.isEmpty)  // until both have exited
        _ = scheduler.exit("s1", now: seconds(102))
        #expect(scheduler.state("n") == .stopped)
        #expect(scheduler.exit("s2", now: seconds(102)).starts == ["n": "gpu0"])
    }

    @Test func evictionPrefersTheFewestWhenAllWereIdleAlike() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: [.testing("gpu0", mebibytes: 1000)])
        var leases: [ServerLease] = []
        for (waiter, (name, size)) in [("s1", 200), ("s2", 200), ("s3", 200), ("big", 400)].enumerated() {
            leases.append(scheduler.load(.testing(name, mebibytes: UInt64(size)), waiter: waiter, now: 0).grants[waiter]!)
        }
        for lease in leases { _ = scheduler.release(lease, now: seconds(1)) }
        #expect(scheduler.enqueue(.testing("n", mebibytes: 400), waiter: 9, now: seconds(101)).stoppedModels == ["big"])
    }

    @Test func evictionPrefersModelsThatAreQuickToLoadAgain() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: [.testing("gpu0", mebibytes: 1000)])
        var leases: [ServerLease] = []
        for (waiter, (name, size, loadSeconds)) in [("s1", 200, 1), ("s2", 200, 1), ("s3", 200, 1), ("big", 400, 20)].enumerated() {
            let start = seconds(UInt64(waiter) * 30)
            let actions = scheduler.load(.testing(name, mebibytes: UInt64(size)), waiter: waiter, now: start, readyAt: start + seconds(UInt64(loadSeconds)))
            leases.append(actions.grants[waiter]!)
        }
        for lease in leases { _ = scheduler.release(lease, now: seconds(200)) }
        // One 20 s load costs more than two 1 s loads: the small ones go.
        #expect(scheduler.enqueue(.testing("n", mebibytes: 400), waiter: 9, now: seconds(300)).stoppedModels.sorted() == ["s1", "s2"])
    }

    @Test func nothingStartsUntilTheMemoryOfTheStoppedChildIsFree() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: [.testing("gpu0", mebibytes: 1000)])
        let a = scheduler.load(.testing("a", mebibytes: 600), waiter: 1, now: 0).grants[1]!
        _ = scheduler.release(a, now: 1)
        let evicting = scheduler.enqueue(.testing("b", mebibytes: 600), waiter: 2, now: 2)
        #expect(evicting.stoppedModels == ["a"])
        #expect(evicting.startedModels.isEmpty)
        // While "a" stops, 400 MiB are free now, and stay free once "b" takes what "a" frees.
        #expect(scheduler.enqueue(.testing("c", mebibytes: 300), waiter: 3, now: 3).starts == ["c": "gpu0"])
        // Too big for what is left: it must wait, and "c" is busy loading.
        let d = scheduler.enqueue(.testing("d", mebibytes: 500), waiter: 4, now: 4)
        #expect(d.startedModels.isEmpty && d.stoppedModels.isEmpty)
        #expect(scheduler.statuses()["a"]?.state == .stopping)
        #expect(scheduler.exit("a", now: 5).starts == ["b": "gpu0"])  // reaped: now "b" goes, "d" still waits
        #expect(scheduler.state("d") == .stopped)
    }

    @Test func aMeasurementReplacesTheEstimateForThisChildAndTheNextStart() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: [.testing("gpu0", mebibytes: 1000)])
        let a = scheduler.load(.testing("a", mebibytes: 600), waiter: 1, now: 0).grants[1]!
        let measured = scheduler.childMeasured("a", instance: a.instance, bytes: 200 * PoolDevice.mebibyte, now: 1)
        #expect(measured.logLines == ["measure model=a pid=1001 resident 200 MiB (estimate 600 MiB; placed by 200 MiB)"])
        #expect(scheduler.statuses()["a"]?.measuredBytes == 200 * PoolDevice.mebibyte)
        #expect(scheduler.load(.testing("b", mebibytes: 800), waiter: 2, now: 2).starts == ["b": "gpu0"])  // 600 + 800 would not fit
        _ = scheduler.release(a, now: 3)
        let c = scheduler.enqueue(.testing("c", mebibytes: 200), waiter: 3, now: 4)
        #expect(c.stoppedModels == ["a"])
        _ = scheduler.exit("a", now: 5)
        #expect(scheduler.statuses()["a"]?.memoryBytes == 200 * PoolDevice.mebibyte)  // its next start needs the measured figure
    }

    @Test func theOperatorsMemoryFigureIsNotReplacedByAMeasurement() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: [.testing("gpu0", mebibytes: 1000)])
        let a = scheduler.load(.testing("a", mebibytes: 600, configured: true), waiter: 1, now: 0).grants[1]!
        let measured = scheduler.childMeasured("a", instance: a.instance, bytes: 200 * PoolDevice.mebibyte, now: 1)
        #expect(measured.logLines == ["measure model=a pid=1001 resident 200 MiB; placed by its memory_mib, 600 MiB"])
        let b = scheduler.enqueue(.testing("b", mebibytes: 800), waiter: 2, now: 2)
        #expect(b.startedModels.isEmpty)  // 600 counted, not 200
        #expect(scheduler.statuses()["a"]?.memoryBytes == 600 * PoolDevice.mebibyte)
    }

    @Test func maxLoadedStillCountsWhenMemoryIsPlenty() {
        var scheduler = PoolScheduler.testing(maxLoaded: 1, devices: [.testing("gpu0", mebibytes: 100_000)])
        let a = scheduler.load(.testing("a", mebibytes: 10), waiter: 1, now: 0).grants[1]!
        #expect(scheduler.enqueue(.testing("b", mebibytes: 10), waiter: 2, now: 1).startedModels.isEmpty)
        #expect(scheduler.release(a, now: 2).stoppedModels == ["a"])
        #expect(scheduler.exit("a", now: 3).starts == ["b": "gpu0"])
    }
}

@Suite struct PoolSchedulerClaimTests {
    @Test func memoryStoppedForAModelIsItsEvenIfTheStoppedModelIsWantedAgain() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: [.testing("gpu0", mebibytes: 1300)])
        let a = scheduler.load(.testing("a", mebibytes: 600), waiter: 1, now: 0).grants[1]!
        let idle = scheduler.load(.testing("idle", mebibytes: 300), waiter: 2, now: 1).grants[2]!
        _ = scheduler.release(a, now: seconds(2))
        _ = scheduler.release(idle, now: seconds(3))
        #expect(scheduler.enqueue(.testing("b", mebibytes: 600), waiter: 3, now: seconds(4)).stoppedModels == ["a"])  // used longest ago
        // "a" is wanted again while it stops: it needs room of its own, and does not take b's.
        #expect(scheduler.enqueue(.testing("a", mebibytes: 600), waiter: 4, now: seconds(5)).stoppedModels == ["idle"])
        #expect(scheduler.exit("a", now: seconds(6)).starts == ["b": "gpu0"])
        #expect(scheduler.exit("idle", now: seconds(7)).starts == ["a": "gpu0"])
    }
}
