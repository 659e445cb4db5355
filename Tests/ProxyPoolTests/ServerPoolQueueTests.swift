import Foundation
import Synchronization
import Testing
@testable import ProxyPool

/// The scheduler's queue, timers and cancellation with real children (the fake llama-server).
@Suite struct ServerPoolQueueTests {
    @Test func beyondTheLimitAcquiresWaitInOrderAndTheirTimersAreCancelledWhenServed() async throws {
        let harness = PoolHarness(queueTimeout: 30)
        defer { harness.finish() }
        var limited = FakeServer.spec("limited")
        limited.concurrencyLimit = 2
        let spec = limited
        let held = [try await harness.lease(spec), try await harness.lease(spec)]
        var waiting: [Task<Result<ServerLease, PoolError>, Never>] = []
        for position in 1...3 {  // one at a time, so their order in the queue is known
            waiting.append(Task { await harness.acquire(spec) })
            #expect(await eventually { harness.status("limited")?.queued == position })
        }
        #expect(harness.status("limited") == ModelStatus(state: .ready, pid: harness.status("limited")?.pid, inFlight: 2, queued: 3, device: "host"))
        #expect(harness.pool.runningQueueTimers == 3)
        harness.pool.release(held[0])
        harness.pool.release(held[1])
        let first = try await waiting[0].value.get()
        let second = try await waiting[1].value.get()
        #expect(harness.status("limited")?.queued == 1)  // the last one still waits: first come, first served
        #expect(harness.pool.runningQueueTimers == 1)
        harness.pool.release(first)
        let third = try await waiting[2].value.get()
        #expect(harness.pool.runningQueueTimers == 0)  // cancelled when served, not left to fire
        #expect(harness.status("limited")?.inFlight == 2)
        harness.pool.release(second)
        harness.pool.release(third)
    }

    @Test func aCancelledLoadIsAbandonedAndItsChildStopped() async throws {
        let harness = PoolHarness(loadTimeout: 600)  // the load is cancelled long before
        defer { harness.finish() }
        let spec = FakeServer.spec("abandoned", "--fake-load-ms", "600000")
        let result = ResultBox()
        let ticket = harness.pool.acquire(spec) { result.set($0) }
        #expect(ticket.isWaiting)
        #expect(await eventually(within: 60) { harness.status("abandoned")?.pid != nil })
        let childPid = try #require(harness.status("abandoned")?.pid)
        ticket.cancel()
        #expect(result.value?.failureKind == .cancelled)
        #expect(await eventually { harness.status("abandoned")?.state == .stopped })
        #expect(!processExists(childPid))
        #expect(harness.logLines("load abandoned model=abandoned").count == 1)
        #expect(harness.logLines("unload model=abandoned pid=\(childPid) reason=abandoned").count == 1)
        #expect(harness.socketFiles().isEmpty)
        ticket.cancel()  // again: nothing left to cancel
        #expect(harness.status("abandoned")?.queued == 0)
    }

    @Test func aFailingModelBacksOffAndFailsFastWithTheRetryTime() async throws {
        let harness = PoolHarness(restartBackoffMax: 30)
        defer { harness.finish() }
        let spec = FakeServer.spec("failing", "--fake-fail-start")
        // Back to back: each either is refused (in the backoff: 1 s, then 2, 4, ...) or tries
        // again. However slow the machine, the doubling backoff refuses some, and those start nothing.
        var refusals: [PoolError] = []
        let attempts = 6
        for _ in 0..<attempts {
            guard case .failure(let error) = await harness.acquire(spec) else {
                Issue.record("a failing model was served")
                return
            }
            #expect(error.kind == .startFailed)
            #expect(error.logTail.contains { $0.contains("error loading model") })
            if let seconds = error.retryAfterSeconds {
                #expect(seconds >= 1 && seconds <= 30)
                #expect(error.message.contains("it will be started again in \(seconds) s"))
                refusals.append(error)
            }
        }
        #expect(!refusals.isEmpty)
        #expect(harness.logLines("load failed model=failing").count == attempts - refusals.count)
    }
}

final class ResultBox: Sendable {
    private let storage = Mutex<Result<ServerLease, PoolError>?>(nil)
    func set(_ value: Result<ServerLease, PoolError>) { storage.withLock { $0 = value } }
    var value: Result<ServerLease, PoolError>? { storage.withLock { $0 } }
}

extension Result where Success == ServerLease, Failure == PoolError {
    var failureKind: PoolError.Kind? {
        if case .failure(let error) = self { error.kind } else { nil }
    }
}
