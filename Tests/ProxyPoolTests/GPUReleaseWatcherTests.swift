import Dispatch
import Glibc
import ProxyTime
import Synchronization
import Testing
@testable import ProxyPool

@Suite struct GPUReleaseWatcherTests {
    static let mebibyte = PoolDevice.mebibyte

    /// Waits (generously) until the fake was called `count` times in all.
    func waitForCalls(_ fake: FakeNvidiaSMI, _ count: Int) -> Bool {
        let deadline = MonotonicClock.now() + 60_000_000_000
        while fake.calls.count < count {
            if MonotonicClock.now() > deadline { return false }
            usleep(10_000)
        }
        return true
    }

    @Test func aReleaseIsSeenOnceTheUsedMemoryDroppedByThreeQuartersOfTheFigure() throws {
        let fake = try FakeNvidiaSMI(answer: "5000\n")
        defer { fake.remove() }
        let watcher = GPUReleaseWatcher(executable: fake.script.path, log: { _ in })
        watcher.sample(index: 1, instance: 7)  // while the child runs: 5000 MiB used
        let deadline = MonotonicClock.now() + 60_000_000_000
        while watcher.samples.withLock({ $0.highest[7] }) == nil && MonotonicClock.now() < deadline { usleep(10_000) }
        #expect(watcher.samples.withLock { $0.highest[7] } == 5000 * Self.mebibyte)
        let released = DispatchSemaphore(value: 0)
        try fake.answer("4300\n")  // 700 MiB freed of a 1000 MiB child: not yet
        watcher.watch(index: 1, modelID: "a", instance: 7, bytes: 1000 * Self.mebibyte,
                      deadline: MonotonicClock.now() + 120_000_000_000) { released.signal() }
        #expect(waitForCalls(fake, 3))
        #expect(released.wait(timeout: .now()) == .timedOut)
        try fake.answer("4250\n")  // 750 MiB: released
        #expect(released.wait(timeout: .now() + 60) == .success)
        #expect(fake.calls.allSatisfy { $0 == "--query-gpu=memory.used --format=csv,noheader,nounits -i 1" })
    }

    @Test func aFailingNvidiaSMIIsLoggedOnceAndNeverCountsAsARelease() throws {
        let fake = try FakeNvidiaSMI(answer: "oops\n", status: 9)
        defer { fake.remove() }
        let lines = Mutex<[String]>([])
        let watcher = GPUReleaseWatcher(executable: fake.script.path, log: { line in lines.withLock { $0.append(line) } })
        let released = Mutex(false)
        watcher.watch(index: 0, modelID: "a", instance: 1, bytes: Self.mebibyte,
                      deadline: MonotonicClock.now() + 10_000_000_000) { released.withLock { $0 = true } }
        #expect(waitForCalls(fake, 2))
        #expect(lines.withLock { $0 } == ["gpu release model=a: \(fake.script.path) exited with status 9: oops"])
        #expect(!released.withLock { $0 })
    }
}
