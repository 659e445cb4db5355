import Foundation
import Glibc
import Testing
@testable import ProxyPool

/// The pool hands each child's output on, between a start and an end marker per process, while
/// it keeps its own tail for error messages.
@Suite struct ServerPoolChildLogTests {
    private func lines(_ events: [ChildLogEvent]) -> [String] {
        events.flatMap { event -> [String] in
            guard case .lines(_, let lines) = event else { return [] }
            return lines.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    @Test func aChildsLinesComeBetweenItsStartAndItsEndAndARestartStartsAgain() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let spec = FakeServer.spec("talky")
        let first = try await harness.lease(spec)
        let firstPid = try #require(harness.status("talky")?.pid)
        #expect(await eventually(within: 30) { lines(harness.childLog.events).contains { $0.hasPrefix("main: HTTP server is listening") } })
        kill(firstPid, SIGKILL)
        #expect(await eventually(within: 30) { harness.childLog.events.contains { if case .exited = $0 { true } else { false } } })
        harness.pool.release(first)
        let second = try await harness.lease(spec)
        let secondPid = try #require(harness.status("talky")?.pid)
        harness.pool.release(second)
        let events = harness.childLog.events
        #expect(events.first == .started(modelID: "talky", pid: firstPid))
        let exit = try #require(events.firstIndex { if case .exited = $0 { true } else { false } })
        #expect(events[exit] == .exited(modelID: "talky", description: "killed by signal 9 (Killed)"))
        #expect(events[1..<exit].allSatisfy { if case .lines("talky", _) = $0 { true } else { false } })
        #expect(events[(exit + 1)...].first == .started(modelID: "talky", pid: secondPid))
        #expect(!lines(events).contains { $0.contains("/health") })  // the pool's own probes stay out
    }
}
