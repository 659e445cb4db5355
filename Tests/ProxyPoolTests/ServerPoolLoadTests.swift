import ProxyTime
import Foundation
import Testing
@testable import ProxyPool

@Suite struct ServerPoolLoadTests {
    @Test func tenConcurrentAcquiresSpawnOneChild() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let spec = FakeServer.spec("single", "--fake-load-ms", "200")
        let results = await withTaskGroup(of: Result<ServerLease, PoolError>.self) { group in
            for _ in 0..<10 { group.addTask { await harness.acquire(spec) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let leases = try results.map { try $0.get() }
        #expect(Set(leases).count == 1)
        #expect(harness.logLines("load model=single").count == 1)
        #expect(harness.status("single")?.inFlight == 10)
        #expect(harness.status("single")?.state == .ready)
        if case .unixSocket(let path) = leases[0].endpoint { #expect(HealthProbe().isReady(.unixSocket(path: path))) }
        leases.forEach(harness.pool.release)
        #expect(harness.status("single")?.inFlight == 0)
    }

    /// How long after /health turns 200 the pool hands out the lease (printed, not bounded: time
    /// limits depend on the machine). A talkative child is probed soon after it logs; a quiet one
    /// only on the backoff timer. The lease never comes before the child is healthy.
    @Test func readinessIsNoticedWithinMillisecondsOfHealthTurning200() async throws {
        let harness = PoolHarness(maxLoaded: 4)
        defer { harness.finish() }
        let delays = await withTaskGroup(of: (Bool, Double).self) { group in
            for index in 0..<4 {
                group.addTask {
                    let quiet = index % 2 == 1
                    let readyFile = harness.directory + "/ready-\(index)"
                    var switches = ["--fake-load-ms", "400", "--fake-ready-file", readyFile]
                    if quiet { switches.append("--fake-quiet") }
                    var spec = FakeServer.spec("m\(index)")
                    spec.arguments += switches
                    let granted = await withCheckedContinuation { continuation in
                        harness.pool.acquire(spec) { _ in continuation.resume(returning: MonotonicClock.now()) }
                    }
                    let healthy = UInt64((try? String(contentsOfFile: readyFile, encoding: .utf8)) ?? "") ?? .max
                    return (quiet, granted >= healthy ? Double(granted - healthy) / 1e6 : -1)
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let talkative = delays.filter { !$0.0 }.map(\.1)
        let quiet = delays.filter { $0.0 }.map(\.1)
        print("readiness delay after /health=200: talkative \(talkative) ms, quiet \(quiet) ms")
        #expect(delays.count == 4)
        #expect(delays.allSatisfy { $0.1 >= 0 })
    }

    @Test func theFastPathIsCheap() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let spec = FakeServer.spec("fast")
        harness.pool.release(try await harness.lease(spec))
        let rounds = 100_000
        let start = MonotonicClock.now()
        for _ in 0..<rounds {
            harness.pool.acquire(spec) { result in
                if case .success(let lease) = result { harness.pool.release(lease) }
            }
        }
        let nanoseconds = Double(MonotonicClock.now() - start) / Double(rounds)
        print("acquire + release of a ready model: \(Int(nanoseconds)) ns")
        #expect(harness.status("fast")?.inFlight == 0)
    }
}
