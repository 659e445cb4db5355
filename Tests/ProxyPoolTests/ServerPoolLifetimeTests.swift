import Foundation
import Glibc
import Testing
@testable import ProxyPool

/// The lifetime rules with real timers, probes and (fake) llama-server processes.
@Suite struct ServerPoolLifetimeTests {
    static func spec(_ modelID: String, lifetime: ModelLifetime) -> LaunchSpec {
        var spec = FakeServer.spec(modelID)
        spec.lifetime = lifetime
        return spec
    }

    @Test func anIdleModelIsUnloadedWhenItsTTLRunsOut() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let lease = try await harness.lease(Self.spec("a", lifetime: ModelLifetime(idleTTL: 200_000_000)))
        let pid = try #require(harness.status("a")?.pid)
        harness.pool.release(lease)
        #expect(harness.status("a")?.expiresAt != nil)
        #expect(await eventually { harness.status("a")?.state == .stopped })
        #expect(harness.logLines("unload model=a pid=\(pid) reason=ttl").count == 1)
        #expect(!processExists(pid))
    }

    @Test func keepAliveZeroUnloadsRightAfterTheRequest() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let lease = try await harness.lease(FakeServer.spec("a"))
        let pid = try #require(harness.status("a")?.pid)
        harness.pool.release(lease, keepAlive: .nanoseconds(0))
        #expect(harness.status("a")?.state == .stopping)
        #expect(await eventually { harness.logLines("unload model=a pid=\(pid) reason=ttl").count == 1 })
    }

    @Test func aPreloadedModelIsReadyWithoutARequest() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        harness.pool.preload(FakeServer.spec("a"))
        #expect(await eventually { harness.status("a")?.state == .ready })
        #expect(harness.logLines("preload model=a").count == 1)
        let lease = try await harness.lease(FakeServer.spec("a"))
        #expect(harness.logLines("load model=a").count == 1)  // served by the preloaded child
        harness.pool.release(lease)
    }

    @Test func aWedgedChildIsKilledByTheHealthCheckAndStartedAfreshByTheNextRequest() async throws {
        let harness = PoolHarness(healthCheckInterval: 0.1, healthCheckTimeout: 0.2, healthCheckFailures: 2)
        defer { harness.finish() }
        harness.pool.release(try await harness.lease(FakeServer.spec("a")))
        let pid = try #require(harness.status("a")?.pid)
        kill(pid, SIGSTOP)  // it still accepts connections (the kernel does), but never answers
        #expect(await eventually(within: 20) { harness.logLines("unload model=a pid=\(pid) reason=unhealthy").count == 1 })
        #expect(harness.logLines("health check failed model=a pid=\(pid) (1 of 2 in a row)").count == 1)
        #expect(!processExists(pid))
        let lease = try await harness.lease(FakeServer.spec("a"))
        let fresh = try #require(harness.status("a")?.pid)
        #expect(fresh != pid)
        harness.pool.release(lease)
    }

    @Test func aHealthyIdleChildIsLeftAlone() async throws {
        let harness = PoolHarness(healthCheckInterval: 0.05, healthCheckTimeout: 2, healthCheckFailures: 1)
        defer { harness.finish() }
        harness.pool.release(try await harness.lease(FakeServer.spec("a")))
        let pid = try #require(harness.status("a")?.pid)
        try await Task.sleep(nanoseconds: 500_000_000)  // several checks
        #expect(harness.status("a")?.state == .ready)
        #expect(harness.status("a")?.pid == pid)
        #expect(harness.logLines("health check failed").isEmpty)
    }
}
