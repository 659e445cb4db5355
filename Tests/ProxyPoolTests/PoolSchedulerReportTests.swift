import Testing
@testable import ProxyPool

/// llama-server's own report of what it allocated, beside the estimate and the measured RSS.
@Suite struct PoolSchedulerReportTests {
    let gpu: [PoolDevice] = [.testing("gpu0", mebibytes: 1000)]

    @Test func aReportReplacesTheEstimateForThisChildAndTheNextStart() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: gpu)
        let a = scheduler.load(.testing("a", mebibytes: 600), waiter: 1, now: 0).grants[1]!
        let reported = scheduler.childReported("a", instance: a.instance, bytes: 300 * PoolDevice.mebibyte, now: 1)
        #expect(reported.logLines == ["report model=a pid=1001 allocated 300 MiB (estimate 600 MiB; placed by 300 MiB)"])
        #expect(scheduler.statuses()["a"]?.reportedBytes == 300 * PoolDevice.mebibyte)
        #expect(scheduler.statuses()["a"]?.memoryBytes == 300 * PoolDevice.mebibyte)
        #expect(scheduler.load(.testing("b", mebibytes: 700), waiter: 2, now: 2).starts == ["b": "gpu0"])  // 300 + 700 fit
        _ = scheduler.release(a, now: 3)
        _ = scheduler.unload("a", now: 4)
        _ = scheduler.exit("a", now: 5)
        #expect(scheduler.statuses()["a"]?.memoryBytes == 300 * PoolDevice.mebibyte)  // its next start needs the reported figure
    }

    @Test func theLargerOfReportAndMeasurementPlacesTheModel() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: gpu)
        let a = scheduler.load(.testing("a", mebibytes: 600), waiter: 1, now: 0).grants[1]!
        _ = scheduler.childReported("a", instance: a.instance, bytes: 300 * PoolDevice.mebibyte, now: 1)
        let measured = scheduler.childMeasured("a", instance: a.instance, bytes: 200 * PoolDevice.mebibyte, now: 2)
        #expect(measured.logLines == ["measure model=a pid=1001 resident 200 MiB (estimate 600 MiB; placed by 300 MiB)"])
        #expect(scheduler.statuses()["a"]?.memoryBytes == 300 * PoolDevice.mebibyte)
        let more = scheduler.childMeasured("a", instance: a.instance, bytes: 450 * PoolDevice.mebibyte, now: 3)
        #expect(more.logLines == ["measure model=a pid=1001 resident 450 MiB (estimate 600 MiB; placed by 450 MiB)"])
        #expect(scheduler.statuses()["a"]?.memoryBytes == 450 * PoolDevice.mebibyte)
        // 450 held: a 600 MiB model does not fit beside it, and a is busy, so it waits.
        #expect(scheduler.enqueue(.testing("b", mebibytes: 600), waiter: 2, now: 4).startedModels.isEmpty)
    }

    @Test func aReportIsForTheSameLaunchOnly() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: gpu)
        let a = scheduler.load(.testing("a", mebibytes: 600), waiter: 1, now: 0).grants[1]!
        _ = scheduler.childReported("a", instance: a.instance, bytes: 300 * PoolDevice.mebibyte, now: 1)
        _ = scheduler.release(a, now: 2)
        _ = scheduler.unload("a", now: 3)
        _ = scheduler.exit("a", now: 4)
        // Other arguments (say a larger -c): the estimate of that launch, not the old report.
        let again = scheduler.load(.testing("a", arguments: ["-c", "8192"], mebibytes: 900), waiter: 2, now: 5)
        #expect(again.starts == ["a": "gpu0"])
        #expect(scheduler.statuses()["a"]?.memoryBytes == 900 * PoolDevice.mebibyte)
    }

    @Test func theOperatorsFigureIsNotReplacedByAReport() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: gpu)
        let a = scheduler.load(.testing("a", mebibytes: 600, configured: true), waiter: 1, now: 0).grants[1]!
        let reported = scheduler.childReported("a", instance: a.instance, bytes: 100 * PoolDevice.mebibyte, now: 1)
        #expect(reported.logLines == ["report model=a pid=1001 allocated 100 MiB; placed by its memory_mib, 600 MiB"])
        #expect(scheduler.statuses()["a"]?.memoryBytes == 600 * PoolDevice.mebibyte)
        #expect(scheduler.statuses()["a"]?.reportedBytes == 100 * PoolDevice.mebibyte)
    }

    @Test func aReportOfAChildThatIsGoneChangesNothing() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: gpu)
        let a = scheduler.load(.testing("a", mebibytes: 600), waiter: 1, now: 0).grants[1]!
        _ = scheduler.release(a, now: 1)
        _ = scheduler.unload("a", now: 2)
        _ = scheduler.exit("a", now: 3)
        #expect(scheduler.childReported("a", instance: a.instance, bytes: 100 * PoolDevice.mebibyte, now: 4).isEmpty)
        #expect(scheduler.statuses()["a"]?.reportedBytes == nil)
    }

    @Test func aModelTooLargeByItsReportSaysSo() {
        var scheduler = PoolScheduler.testing(maxLoaded: 10, devices: gpu)
        let a = scheduler.load(.testing("a", mebibytes: 600), waiter: 1, now: 0).grants[1]!
        _ = scheduler.childReported("a", instance: a.instance, bytes: 1200 * PoolDevice.mebibyte, now: 1)
        _ = scheduler.release(a, now: 2)
        _ = scheduler.unload("a", now: 3)
        _ = scheduler.exit("a", now: 4)
        let again = scheduler.enqueue(.testing("a", mebibytes: 600), waiter: 2, now: 5)
        #expect(again.failures[2]?.message == "model 'a' needs 1200 MiB (reported), more than any device it may use has: gpu0 1000 MiB")
    }
}
