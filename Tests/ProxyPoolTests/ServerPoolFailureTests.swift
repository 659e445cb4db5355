import ProxyTime
import Foundation
import Glibc
import Testing
@testable import ProxyPool

@Suite struct ServerPoolFailureTests {
    @Test func aCrashIsNoticedAtOnceAndTheNextAcquireRestarts() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let spec = FakeServer.spec("crashy")
        let first = try await harness.lease(spec)
        let firstPid = try #require(harness.status("crashy")?.pid)
        let killedAt = MonotonicClock.now()
        kill(firstPid, SIGKILL)  // the request in flight loses its server
        #expect(await eventually { harness.status("crashy")?.state == .stopped })
        let unload = "unload model=crashy pid=\(firstPid) reason=exit (killed by signal 9"
        let noticedAt = try #require(harness.recorder.time(ofFirst: unload))
        print("crash noticed \(Double(noticedAt - killedAt) / 1e6) ms after SIGKILL")
        #expect(noticedAt - killedAt < 250_000_000)  // typically 2 ms; roomy for a busy machine
        #expect(harness.socketFiles().isEmpty)
        harness.pool.release(first)  // late, and harmless
        let second = try await harness.lease(spec)
        #expect(second.instance != first.instance)
        #expect(harness.status("crashy")?.pid != firstPid)
        #expect(harness.status("crashy")?.inFlight == 1)
        harness.pool.release(second)
    }

    @Test func theFakeCrashesOnCue() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let lease = try await harness.lease(FakeServer.spec("cued", "--fake-exit-after-ms", "1500"))
        #expect(await eventually { harness.status("cued")?.state == .stopped })
        #expect(harness.logLines("unload model=cued").first?.contains("reason=exit (exited with status 3)") == true)
        harness.pool.release(lease)
    }

    @Test func aLoadTimeoutKillsTheChild() async throws {
        // Roomy: python may take seconds to start on a busy machine, and the tail must hold its first lines.
        let harness = PoolHarness(loadTimeout: 6)
        defer { harness.finish() }
        let result = await harness.acquire(FakeServer.spec("slow", "--fake-never-ready"))
        guard case .failure(let error) = result else {
            Issue.record("expected a load timeout, got \(result)")
            return
        }
        #expect(error.kind == .loadTimeout)
        #expect(error.logTail.contains { $0.hasPrefix("main: HTTP server is listening") })
        #expect(!error.logTail.contains { $0.contains("/health") })  // our own probes are not news
        let line = try #require(harness.logLines("load failed model=slow").first)
        let childPid = try #require(pid(in: line))
        #expect(await eventually { harness.status("slow")?.state == .stopped })
        #expect(!processExists(childPid))
        #expect(harness.socketFiles().isEmpty)
    }

    @Test func aFailedStartCarriesTheLogTailAndTheNextAcquireTriesAgain() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let result = await harness.acquire(FakeServer.spec("broken", "--fake-fail-start"))
        guard case .failure(let error) = result else {
            Issue.record("expected a failed start, got \(result)")
            return
        }
        #expect(error.kind == .startFailed)
        #expect(error.message.contains("exited with status 1"))
        #expect(error.logTail.contains { $0.contains("error loading model") })
        #expect(harness.status("broken")?.state == .stopped)
        let fixed = try await harness.lease(FakeServer.spec("broken"))  // e.g. after fixing the config
        #expect(harness.logLines("load failed model=broken").count == 1)
        #expect(harness.logLines("load model=broken").count == 1)
        harness.pool.release(fixed)
    }

    @Test func aMissingExecutableFailsWithTheReason() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let spec = LaunchSpec(modelID: "ghost", executable: "/nonexistent/llama-server", arguments: [])
        for _ in 0..<2 {  // the second acquire tries again rather than finding it stuck
            let result = await harness.acquire(spec)
            guard case .failure(let error) = result else {
                Issue.record("expected a failed start, got \(result)")
                return
            }
            #expect(error.kind == .startFailed)
            #expect(error.message.contains("No such file or directory"))
        }
        #expect(harness.logLines("load failed model=ghost").count == 2)
    }
}
