import Foundation
import Testing
@testable import ProxyPool

@Suite struct ServerPoolEvictionTests {
    @Test func lruEvictionSkipsBusyModels() async throws {
        let harness = PoolHarness(maxLoaded: 2)
        defer { harness.finish() }
        harness.pool.release(try await harness.lease(FakeServer.spec("a")))
        harness.pool.release(try await harness.lease(FakeServer.spec("b")))
        let held = try await harness.lease(FakeServer.spec("a"))  // "a" is older, but now busy
        let bPid = try #require(harness.status("b")?.pid)
        let c = try await harness.lease(FakeServer.spec("c"))
        #expect(harness.status("a") == ModelStatus(state: .ready, pid: harness.status("a")?.pid, inFlight: 1, device: "host"))
        #expect(harness.status("b")?.state == .stopped)
        #expect(!processExists(bPid))  // gone before "c" was started
        #expect(harness.logLines("unload model=b pid=\(bPid) reason=evicted").count == 1)
        harness.pool.release(held)
        harness.pool.release(c)
    }

    @Test func whenAllAreBusyAnAcquireWaitsForARelease() async throws {
        let harness = PoolHarness(maxLoaded: 1)
        defer { harness.finish() }
        let a = try await harness.lease(FakeServer.spec("a"))
        let waiting = Task { await harness.acquire(FakeServer.spec("b")) }
        #expect(await eventually { harness.status("b")?.queued == 1 })
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(harness.status("b") == ModelStatus(state: .stopped, pid: nil, inFlight: 0, queued: 1))  // no room, and "a" must not be killed
        #expect(harness.status("a")?.state == .ready)
        harness.pool.release(a)
        let b = try await waiting.value.get()
        #expect(b.modelID == "b")
        #expect(harness.status("a")?.state == .stopped)
        harness.pool.release(b)
    }

    @Test func queueTimeoutWhenNothingIsReleased() async throws {
        let harness = PoolHarness(maxLoaded: 1, queueTimeout: 0.3)
        defer { harness.finish() }
        let a = try await harness.lease(FakeServer.spec("a"))
        let started = Date()
        let result = await harness.acquire(FakeServer.spec("b"))
        let waited = Date().timeIntervalSince(started)
        guard case .failure(let error) = result else {
            Issue.record("expected a queue timeout, got \(result)")
            return
        }
        #expect(error.kind == .queueTimeout)
        #expect(waited >= 0.29)  // never early; how late depends on the machine, so no upper bound
        #expect(harness.status("a")?.inFlight == 1)
        harness.pool.release(a)
    }
}
