import Testing
@testable import ProxyPool

/// The room a child held on an NVIDIA device stays "releasing" after its exit, until nvidia-smi
/// shows it freed or `gpuReleaseTimeout` passed.
@Suite struct PoolSchedulerGPUReleaseTests {
    static let gpu = PoolDevice(name: "gpu0", memoryBytes: 1000 * PoolDevice.mebibyte, nvidiaIndex: 3)

    func scheduler(gpuReleaseTimeout: Double = 30, devices: [PoolDevice] = [gpu]) -> PoolScheduler {
        PoolScheduler(configuration: PoolConfiguration(
            maxLoaded: 10, restartBackoffMax: 0, runtimeDirectory: "/run/p", devices: devices, gpuReleaseTimeout: gpuReleaseTimeout))
    }

    /// a (600 MiB) ready on gpu0, then b (600 MiB) asked for: a is evicted and has exited at 5 ms.
    func swapped(_ scheduler: inout PoolScheduler) -> (exit: [PoolAction], instance: Int) {
        let loaded = scheduler.load(.testing("a", mebibytes: 600), waiter: 1, now: 0)
        let a = loaded.grants[1]!
        #expect(loaded.contains(.sampleGPUMemory(nvidiaIndex: 3, instance: a.instance)))  // with a's memory in use
        _ = scheduler.release(a, now: milliseconds(1))
        let evicting = scheduler.enqueue(.testing("b", mebibytes: 600), waiter: 2, now: milliseconds(2))
        #expect(evicting.stoppedModels == ["a"])
        #expect(evicting.contains(.sampleGPUMemory(nvidiaIndex: 3, instance: a.instance)))  // again as it stops
        return (scheduler.exit("a", now: milliseconds(5)), a.instance)
    }

    @Test func aSwapWaitsUntilTheGPUShowsTheMemoryFreed() {
        var scheduler = scheduler()
        let (exit, instance) = swapped(&scheduler)
        #expect(exit.startedModels.isEmpty)  // reaped, but the GPU has not released it yet
        #expect(exit.logLines.contains("gpu release model=a on gpu0: waiting for nvidia-smi -i 3 to show 600 MiB freed (at most 30 s)"))
        let deadline = milliseconds(5) + seconds(30)
        #expect(exit.contains(.watchGPURelease(
            nvidiaIndex: 3, modelID: "a", instance: instance, bytes: 600 * PoolDevice.mebibyte, deadline: deadline)))
        #expect(exit.modelTimers.map { "\($0.0) \($0.1) \($0.2)" } == ["gpuRelease a \(deadline)"])
        #expect(scheduler.state("b") == .stopped && scheduler.queued("b") == [2])

        let freed = scheduler.gpuReleased(instance: instance, now: milliseconds(805))
        #expect(freed.logLines.first == "gpu release model=a on gpu0: freed after 800 ms")
        #expect(freed.starts == ["b": "gpu0"])
        #expect(scheduler.gpuReleaseTimedOut(instance: instance, now: deadline).isEmpty)  // its timer, later, changes nothing
    }

    @Test func withoutTheReleaseTheTimeoutCountsTheRoomFree() {
        var scheduler = scheduler()
        let (exit, instance) = swapped(&scheduler)
        #expect(exit.startedModels.isEmpty)
        let timedOut = scheduler.gpuReleaseTimedOut(instance: instance, now: milliseconds(5) + seconds(30))
        #expect(timedOut.logLines.first
            == "gpu release model=a on gpu0: nvidia-smi -i 3 did not show 600 MiB freed within 30 s; counting it free")
        #expect(timedOut.starts == ["b": "gpu0"])
        #expect(scheduler.gpuReleased(instance: instance, now: milliseconds(5) + seconds(31)).isEmpty)
    }

    @Test func roomNobodyReleasedStartsWhatFitsBesideIt() {
        var scheduler = scheduler()
        let (_, _) = swapped(&scheduler)
        // 600 MiB still releasing of 1000: a 300 MiB model fits now, next to it.
        #expect(scheduler.load(.testing("c", mebibytes: 300), waiter: 3, now: milliseconds(6)).starts == ["c": "gpu0"])
        #expect(scheduler.state("b") == .stopped)
    }

    @Test func aReleasingRoomIsNotEvictedForAgainAndOtherDevicesDoNotWait() {
        let host = PoolDevice(name: "host", memoryBytes: 1000 * PoolDevice.mebibyte)
        var scheduler = scheduler(devices: [Self.gpu, host])
        let a = scheduler.load(.testing("a", mebibytes: 600, devices: ["gpu0"]), waiter: 1, now: 0).grants[1]!
        let h = scheduler.load(.testing("h", mebibytes: 600, devices: ["host"]), waiter: 2, now: 0).grants[2]!
        _ = scheduler.release(a, now: 1)
        _ = scheduler.release(h, now: 1)
        _ = scheduler.enqueue(.testing("b", mebibytes: 600, devices: ["gpu0"]), waiter: 3, now: 2)
        _ = scheduler.enqueue(.testing("k", mebibytes: 600, devices: ["host"]), waiter: 4, now: 2)
        #expect(scheduler.state("a") == .stopping && scheduler.state("h") == .stopping)
        let hostExit = scheduler.exit("h", now: 3)
        #expect(hostExit.starts == ["k": "host"])  // host memory is free once the child is reaped
        #expect(!hostExit.contains { if case .watchGPURelease = $0 { true } else { false } })
        let gpuExit = scheduler.exit("a", now: 4)
        #expect(gpuExit.startedModels.isEmpty && gpuExit.stoppedModels.isEmpty)
    }

    @Test func aLoadThatTimedOutIsSampledAsItIsKilledAndReleasesLikeAnyOther() {
        var scheduler = scheduler()
        let started = scheduler.enqueue(.testing("a", mebibytes: 600), waiter: 1, now: 0)
        let instance = started.startedInstances[0]
        scheduler.childSpawned("a", instance: instance, pid: 1001)
        let killed = scheduler.loadTimedOut("a", instance: instance, logTail: [], now: seconds(600))
        #expect(killed.killedModels == ["a"])
        #expect(killed.contains(.sampleGPUMemory(nvidiaIndex: 3, instance: instance)))
        _ = scheduler.enqueue(.testing("b", mebibytes: 600), waiter: 2, now: seconds(601))
        #expect(scheduler.exit("a", now: seconds(602)).startedModels.isEmpty)
        #expect(scheduler.gpuReleased(instance: instance, now: seconds(603)).starts == ["b": "gpu0"])
    }

    @Test func aZeroTimeoutDoesNotWait() {
        var scheduler = scheduler(gpuReleaseTimeout: 0)
        let a = scheduler.load(.testing("a", mebibytes: 600), waiter: 1, now: 0)
        #expect(!a.contains { if case .sampleGPUMemory = $0 { true } else { false } })
        _ = scheduler.release(a.grants[1]!, now: 1)
        _ = scheduler.enqueue(.testing("b", mebibytes: 600), waiter: 2, now: 2)
        #expect(scheduler.exit("a", now: 3).starts == ["b": "gpu0"])
    }
}
