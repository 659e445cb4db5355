import Foundation
import Testing
@testable import ProxyPool

@Suite struct PoolSchedulerSlotCacheTests {
    static let keyA = SlotCacheKey(text: "binary /bin/llama-server 1 1\nmodel /m/a.gguf 10 1\nargs ")
    static let keyB = SlotCacheKey(text: "binary /bin/llama-server 1 1\nmodel /m/b.gguf 10 1\nargs ")

    static func scheduler(budget: UInt64 = 1 << 30, saveTimeout: Double = 60) -> PoolScheduler {
        PoolScheduler(
            configuration: PoolConfiguration(
                maxLoaded: 1, restartBackoffMax: 0, runtimeDirectory: "/run/p", slotCacheBytes: budget, slotSaveTimeout: saveTimeout))
    }

    static func file(_ key: SlotCacheKey, slot: Int, bytes: UInt64, at time: UInt64) -> SlotCacheLedger.File {
        SlotCacheLedger.File(key: key, slot: slot, name: "slot\(slot).bin", bytes: bytes, lastUsed: time)
    }

    /// Loads `modelID` (its child spawned with `key`), serves waiter `waiter` and releases it.
    static func loadAndRelease(_ scheduler: inout PoolScheduler, _ modelID: String, key: SlotCacheKey, waiter: Int, at time: UInt64) {
        let actions = scheduler.enqueue(.testing(modelID), waiter: waiter, now: time)
        guard let instance = actions.startedInstances.last else {
            Issue.record("\(modelID) did not start: \(actions)")
            return
        }
        scheduler.childSpawned(modelID, instance: instance, pid: Int32(1000 + instance), cacheKey: key)
        let ready = scheduler.childReady(modelID, instance: instance, now: time)
        guard let lease = ready.grants[waiter] else {
            Issue.record("waiter \(waiter) not granted: \(ready)")
            return
        }
        _ = scheduler.release(lease, now: time + milliseconds(1))
    }

    @Test func anEvictedModelSavesItsSlotsBeforeItStopsAndTheNewOneWaits() {
        var scheduler = Self.scheduler()
        Self.loadAndRelease(&scheduler, "a", key: Self.keyA, waiter: 1, at: 0)
        let a = scheduler.instance("a")
        let evicting = scheduler.enqueue(.testing("b"), waiter: 2, now: seconds(1))
        #expect(evicting.contains(.saveSlots(modelID: "a", instance: a)))
        #expect(evicting.stoppedModels.isEmpty)  // no SIGTERM before the save
        #expect(evicting.startedModels.isEmpty)
        #expect(evicting.modelTimers.map(\.0) == [.slotCache])
        #expect(scheduler.state("a") == .stopping)
        let saved = scheduler.slotsSaved("a", instance: a, files: [Self.file(Self.keyA, slot: 0, bytes: 4096, at: seconds(1))], now: seconds(1))
        #expect(saved.stoppedModels == ["a"])
        #expect(saved.logLines.contains { $0.hasPrefix("slot cache saved model=a pid=1001 slots=0 4 KiB") })
        #expect(scheduler.slotCache.files(for: Self.keyA).map(\.slot) == [0])
        #expect(scheduler.exit("a", now: seconds(2)).startedModels == ["b"])
    }

    @Test func theNextChildOfTheSameKeyIsRestoredBeforeItsQueueIsServed() {
        var scheduler = Self.scheduler()
        _ = scheduler.slotCache.record([Self.file(Self.keyA, slot: 1, bytes: 100, at: 0)])
        let actions = scheduler.enqueue(.testing("a"), waiter: 1, now: seconds(1))
        let instance = actions.startedInstances.last!
        scheduler.childSpawned("a", instance: instance, pid: 1001, cacheKey: Self.keyA)
        let healthy = scheduler.childReady("a", instance: instance, now: seconds(2))
        #expect(healthy.contains(.restoreSlots(modelID: "a", instance: instance, files: [Self.file(Self.keyA, slot: 1, bytes: 100, at: 0)])))
        #expect(healthy.grants.isEmpty)
        #expect(scheduler.state("a") == .starting)
        let restored = scheduler.slotsRestored("a", instance: instance, restored: 1, tried: 1, now: seconds(2) + milliseconds(6))
        #expect(restored.grants.keys.sorted() == [1])
        #expect(restored.logLines.first == "slot cache restored model=a pid=1001 1 of 1 slot(s) in 6 ms")
        #expect(scheduler.state("a") == .ready)
    }

    @Test func aChildWhoseKeyChangedGetsNothingRestored() {
        var scheduler = Self.scheduler()
        _ = scheduler.slotCache.record([Self.file(Self.keyA, slot: 0, bytes: 100, at: 0)])
        let changed = SlotCacheKey(text: Self.keyA.text + " --ctx-size 4096")
        let actions = scheduler.enqueue(.testing("a"), waiter: 1, now: 0)
        let instance = actions.startedInstances.last!
        scheduler.childSpawned("a", instance: instance, pid: 1001, cacheKey: changed)
        let ready = scheduler.childReady("a", instance: instance, now: seconds(1))
        #expect(!ready.contains { if case .restoreSlots = $0 { true } else { false } })
        #expect(ready.grants.keys.sorted() == [1])
        #expect(changed.folderName != Self.keyA.folderName)
    }

    @Test func aSaveThatTakesTooLongStopsTheChildWithoutIt() {
        var scheduler = Self.scheduler(saveTimeout: 5)
        Self.loadAndRelease(&scheduler, "a", key: Self.keyA, waiter: 1, at: 0)
        let a = scheduler.instance("a")
        let evicting = scheduler.enqueue(.testing("b"), waiter: 2, now: seconds(1))
        #expect(evicting.modelTimers.map(\.2) == [seconds(6)])
        let fired = scheduler.slotTimerFired("a", instance: a, now: seconds(6))
        #expect(fired.stoppedModels == ["a"])
        #expect(fired.logLines == ["slot cache save model=a pid=1001 took over 5 s: stopping without it"])
        // The save's late answer is recorded but stops nothing twice.
        let late = scheduler.slotsSaved("a", instance: a, files: [Self.file(Self.keyA, slot: 0, bytes: 10, at: seconds(7))], now: seconds(7))
        #expect(late.stoppedModels.isEmpty)
        #expect(scheduler.slotCache.files(for: Self.keyA).count == 1)
    }

    @Test func aRestoreThatTakesTooLongLetsTheChildServeWithoutIt() {
        var scheduler = Self.scheduler(saveTimeout: 5)
        _ = scheduler.slotCache.record([Self.file(Self.keyA, slot: 0, bytes: 100, at: 0)])
        let instance = scheduler.enqueue(.testing("a"), waiter: 1, now: 0).startedInstances.last!
        scheduler.childSpawned("a", instance: instance, pid: 1001, cacheKey: Self.keyA)
        #expect(scheduler.childReady("a", instance: instance, now: seconds(1)).grants.isEmpty)
        let fired = scheduler.slotTimerFired("a", instance: instance, now: seconds(6))
        #expect(fired.grants.keys.sorted() == [1])
        #expect(scheduler.slotsRestored("a", instance: instance, restored: 1, tried: 1, now: seconds(7)).isEmpty)
    }

    @Test func ttlAndGroupStopsSaveToo_butShutdownDoesNotWaitForASave() {
        var scheduler = Self.scheduler()
        let actions = scheduler.enqueue(.testing("a", lifetime: .ttl(0)), waiter: 1, now: 0)
        let instance = actions.startedInstances.last!
        scheduler.childSpawned("a", instance: instance, pid: 1001, cacheKey: Self.keyA)
        let lease = scheduler.childReady("a", instance: instance, now: 0).grants[1]!
        let released = scheduler.release(lease, now: seconds(1))  // keep_alive 0 / ttl 0: unload at once
        #expect(released.contains(.saveSlots(modelID: "a", instance: instance)))
        #expect(released.stoppedModels.isEmpty)
        _ = scheduler.beginShutdown()
        #expect(scheduler.stopAll(now: seconds(2)).stoppedModels == ["a"])
        #expect(scheduler.slotsSaved("a", instance: instance, files: [], now: seconds(3)).stoppedModels.isEmpty)
    }

    @Test func withTheCacheOffAnEvictionStopsAtOnce() {
        var scheduler = Self.scheduler(budget: 0)
        Self.loadAndRelease(&scheduler, "a", key: Self.keyA, waiter: 1, at: 0)
        let evicting = scheduler.enqueue(.testing("b"), waiter: 2, now: seconds(1))
        #expect(evicting.stoppedModels == ["a"])
        #expect(!evicting.contains { if case .saveSlots = $0 { true } else { false } })
    }
}

@Suite struct SlotCacheLedgerTests {
    let a = PoolSchedulerSlotCacheTests.keyA
    let b = PoolSchedulerSlotCacheTests.keyB

    @Test func theLeastRecentlyUsedFilesGoFirstWhenTheBudgetIsExceeded() {
        var ledger = SlotCacheLedger(budgetBytes: 300)
        #expect(ledger.record([PoolSchedulerSlotCacheTests.file(a, slot: 0, bytes: 100, at: 1)]).isEmpty)
        #expect(ledger.record([PoolSchedulerSlotCacheTests.file(b, slot: 0, bytes: 100, at: 2)]).isEmpty)
        ledger.touch(a, now: 3)  // a restored: now b is the oldest
        let dropped = ledger.record([PoolSchedulerSlotCacheTests.file(a, slot: 1, bytes: 150, at: 4)])
        #expect(dropped.map(\.key) == [b])
        #expect(ledger.totalBytes == 250)
        #expect(ledger.files(for: a).map(\.slot) == [0, 1])
    }

    @Test func aFileSavedAgainReplacesTheOldOneAndOneLargerThanTheBudgetIsNotKept() {
        var ledger = SlotCacheLedger(budgetBytes: 300)
        _ = ledger.record([PoolSchedulerSlotCacheTests.file(a, slot: 0, bytes: 100, at: 1)])
        _ = ledger.record([PoolSchedulerSlotCacheTests.file(a, slot: 0, bytes: 200, at: 2)])
        #expect(ledger.files(for: a).map(\.bytes) == [200])
        let dropped = ledger.record([PoolSchedulerSlotCacheTests.file(b, slot: 0, bytes: 400, at: 3)])
        #expect(Set(dropped.map(\.key)) == [a, b])
        #expect(ledger.files.isEmpty)
    }
}

@Suite struct SlotCacheKeyTests {
    @Test func theKeyChangesWithTheArgumentsAndTheModelFile() throws {
        let folder = NSTemporaryDirectory() + "lsp-slotkey-\(ProcessInfo.processInfo.processIdentifier)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let model = "\(folder)/m.gguf"
        #expect(FileManager.default.createFile(atPath: model, contents: Data("one".utf8)))
        let first = SlotCacheKey.make(executable: "/bin/sh", arguments: ["-m", model, "-c", "512"])
        #expect(first == SlotCacheKey.make(executable: "/bin/sh", arguments: ["-m", model, "-c", "512"]))
        #expect(first != SlotCacheKey.make(executable: "/bin/sh", arguments: ["-m", model, "-c", "1024"]))
        #expect(first != SlotCacheKey.make(executable: "/bin/bash", arguments: ["-m", model, "-c", "512"]))
        #expect(FileManager.default.createFile(atPath: model, contents: Data("longer".utf8)))  // another size
        #expect(first != SlotCacheKey.make(executable: "/bin/sh", arguments: ["-m", model, "-c", "512"]))
        #expect(first.folderName.count == 16)
    }

    @Test func eachReplicaHasAKeyAndAFolderOfItsOwn() {
        let one = SlotCacheKey.make(executable: "/bin/sh", arguments: ["-c", "512"])
        #expect(SlotCacheKey.make(executable: "/bin/sh", arguments: ["-c", "512"], replica: 1) == one)
        let two = SlotCacheKey.make(executable: "/bin/sh", arguments: ["-c", "512"], replica: 2)
        #expect(two != one)
        #expect(two.folderName != one.folderName)
    }
}
