import Foundation
import Testing
@testable import ProxyPool

@Suite struct ServerPoolShutdownTests {
    @Test func shutdownLeavesNoChildAndNoSocket() async throws {
        let harness = PoolHarness(maxLoaded: 3)
        defer { harness.finish() }
        let held = try await harness.lease(FakeServer.spec("a"))
        harness.pool.release(try await harness.lease(FakeServer.spec("b")))
        let loading = Task { await harness.acquire(FakeServer.spec("c", "--fake-load-ms", "5000")) }
        #expect(await eventually { harness.status("c")?.pid != nil })
        let pids = ["a", "b", "c"].compactMap { harness.status($0)?.pid }
        #expect(pids.count == 3)
        let started = Date()
        harness.pool.shutdown(grace: 0.3)  // "a" is still in flight: shutdown waits out the grace
        #expect(Date().timeIntervalSince(started) >= 0.29)
        #expect(pids.allSatisfy { !processExists($0) })
        #expect(!FileManager.default.fileExists(atPath: harness.directory))  // emptied, so removed
        if case .failure(let error) = await loading.value {
            #expect(error.kind == .shuttingDown)
        } else {
            Issue.record("the load under way should have failed")
        }
        harness.pool.release(held)  // a late release after shutdown is harmless
    }

    @Test func shutdownWaitsForRequestsInFlightAndRefusesNewOnes() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let held = try await harness.lease(FakeServer.spec("a"))
        let releaser = Thread {
            usleep(150_000)
            harness.pool.release(held)
        }
        let started = Date()
        releaser.start()
        harness.pool.shutdown(grace: 10)
        let took = Date().timeIntervalSince(started)
        #expect(took >= 0.14)  // it waited for the release; how long after depends on the machine
        #expect(harness.logLines("unload model=a").first?.contains("reason=shutdown") == true)
        let refused = await harness.acquire(FakeServer.spec("a"))
        #expect(throws: PoolError.self) { try refused.get() }
        if case .failure(let error) = refused { #expect(error.kind == .shuttingDown) }
    }

    @Test func aChildThatIgnoresSIGTERMIsKilledAfterTheStopTimeout() async throws {
        let harness = PoolHarness(stopTimeout: 0.3)
        defer { harness.finish() }
        harness.pool.release(try await harness.lease(FakeServer.spec("stubborn", "--fake-ignore-sigterm")))
        let childPid = try #require(harness.status("stubborn")?.pid)
        let started = Date()
        harness.pool.shutdown(grace: 0)
        let took = Date().timeIntervalSince(started)
        #expect(took >= 0.29)  // SIGKILL only after the stop timeout
        #expect(!processExists(childPid))
        #expect(harness.logLines("unload model=stubborn").count == 1)
    }
}
