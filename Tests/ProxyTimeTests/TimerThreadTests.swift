import Dispatch
import Glibc
import Synchronization
import Testing
@testable import ProxyTime

@Suite struct TimerThreadTests {
    @Test func firesInDeadlineOrderNotSchedulingOrder() async throws {
        let timers = TimerThread()
        defer { timers.stop() }
        let fired = Mutex<[Int]>([])
        let start = MonotonicClock.now()
        for (label, delayMs) in [(3, 60), (1, 20), (2, 40)] {
            timers.schedule(at: start + UInt64(delayMs) * 1_000_000) { fired.withLock { $0.append(label) } }
        }
        try await waitUntil { fired.withLock { $0.count } == 3 }
        #expect(fired.withLock { $0 } == [1, 2, 3])
    }

    @Test func aCancelledDeadlineNeverFires() async throws {
        let timers = TimerThread()
        defer { timers.stop() }
        let fired = Mutex<[String]>([])
        let cancelled = timers.schedule(after: 0.02) { fired.withLock { $0.append("cancelled") } }
        timers.schedule(after: 0.05) { fired.withLock { $0.append("kept") } }
        timers.cancel(cancelled)
        try await waitUntil { fired.withLock { $0.count } == 1 }
        try await Task.sleep(for: .milliseconds(30))
        #expect(fired.withLock { $0 } == ["kept"])
        #expect(timers.pendingCount == 0)
    }

    @Test func anEarlierDeadlineWakesTheSleepingThread() async throws {
        let timers = TimerThread()
        defer { timers.stop() }
        let fired = Mutex<[String]>([])
        timers.schedule(after: 3_600) { fired.withLock { $0.append("late") } }
        try await Task.sleep(for: .milliseconds(10))  // the thread now sleeps until the late one
        timers.schedule(after: 0.01) { fired.withLock { $0.append("early") } }
        try await waitUntil { !fired.withLock { $0.isEmpty } }
        #expect(fired.withLock { $0 } == ["early"])
    }

    @Test func aBusyThreadPoolDoesNotDelayIt() {
        // Work that blocks GCD's shared pool (as slow agents would) must not hold up a deadline.
        // The test waits on a semaphore, not with Task.sleep: the concurrency runtime's own
        // threads are GCD's here, and they are what this test blocks, for as long as it runs.
        let timers = TimerThread()
        defer { timers.stop() }
        let release = Atomic<Bool>(false)
        for _ in 0..<64 {
            DispatchQueue.global().async { while !release.load(ordering: .relaxed) { usleep(1000) } }
        }
        let fired = DispatchSemaphore(value: 0)
        timers.schedule(after: 0.01) { fired.signal() }
        let result = fired.wait(timeout: .now() + 10)
        release.store(true, ordering: .relaxed)
        #expect(result == .success, "the deadline did not fire while GCD's pool was blocked")
    }

    @Test func heapKeepsInsertionOrderForEqualKeys() {
        var heap = DeadlineHeap<Int>()
        var generator = SystemRandomNumberGenerator()
        var expected: [(UInt64, Int)] = []
        for index in 0..<500 {
            let key = UInt64.random(in: 0..<20, using: &generator)
            heap.insert(index, key: key)
            expected.append((key, index))
        }
        expected.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var drained: [Int] = []
        while let next = heap.removeMinimum() { drained.append(next) }
        #expect(drained == expected.map(\.1))
    }

    @Test func heapRemoveAllKeepsTheRestInOrder() {
        var heap = DeadlineHeap<Int>()
        var generator = SystemRandomNumberGenerator()
        var expected: [(UInt64, Int)] = []
        for index in 0..<1000 {
            let key = UInt64.random(in: 0..<50, using: &generator)
            heap.insert(index, key: key)
            expected.append((key, index))
        }
        heap.removeAll { $0 % 3 == 0 }
        #expect(heap.count == expected.count { $0.1 % 3 != 0 })
        expected = expected.filter { $0.1 % 3 != 0 }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        var drained: [Int] = []
        while let next = heap.removeMinimum() { drained.append(next) }
        #expect(drained == expected.map(\.1))
    }

    @Test func cancelledFarDeadlinesDoNotPileUp() async throws {
        let timers = TimerThread()
        defer { timers.stop() }
        // Far enough that none fires during the churn, however slow the machine.
        let kept = (0..<10).map { index in timers.schedule(after: 3600 + Double(index)) {} }
        for _ in 0..<10_000 {
            timers.cancel(timers.schedule(after: 600) {})
        }
        #expect(timers.pendingCount == kept.count)
        #expect(timers.heapCount <= 2 * kept.count + TimerThread.cancelledSlack + 1)
        // The rebuilt heap still orders what is left: a near deadline fires first.
        let fired = Atomic<Bool>(false)
        timers.schedule(after: 0.01) { fired.store(true, ordering: .relaxed) }
        try await waitUntil { fired.load(ordering: .relaxed) }
        #expect(timers.pendingCount == kept.count)
    }

    private func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition(), "condition not met within 5 s")
    }
}

