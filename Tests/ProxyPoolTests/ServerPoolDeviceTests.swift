import Foundation
import Testing
@testable import ProxyPool

@Suite struct ServerPoolDeviceTests {
    /// A NUL-separated /proc file (cmdline, environ) as strings.
    func procList(_ pid: Int32, _ name: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/\(name)") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func aChildGetsItsDevicesEnvironmentAndArgumentsAndIsMeasured() async throws {
        let device = PoolDevice(
            name: "gpu7", memoryBytes: 1 << 40, environment: ["LSP_TEST_DEVICE": "seven", "HOME": "/nonexistent-home"],
            arguments: ["-ngl", "999"], measureResidentMemory: true)
        let harness = PoolHarness(devices: [device])
        defer { harness.finish() }
        let lease = try await harness.lease(FakeServer.spec("placed"))
        let pid = try #require(harness.status("placed")?.pid)
        let environment = procList(pid, "environ")
        #expect(environment.contains("LSP_TEST_DEVICE=seven"))
        #expect(environment.filter { $0.hasPrefix("HOME=") } == ["HOME=/nonexistent-home"])  // replaced, not doubled
        #expect(environment.contains { $0.hasPrefix("PATH=") })  // the rest is inherited
        let argv = procList(pid, "cmdline")
        let host = try #require(argv.firstIndex(of: "--host"))
        #expect(Array(argv[(host - 2)..<host]) == ["-ngl", "999"])  // after the model's own, before the socket
        #expect(harness.status("placed")?.device == "gpu7")
        #expect(await eventually { (harness.status("placed")?.measuredBytes ?? 0) > 1 << 20 })  // python's RSS: several MiB
        #expect(harness.logLines("measure model=placed pid=\(pid) resident ").count == 1, "\(harness.recorder.lines)")
        harness.pool.release(lease)
    }

    @Test func withoutDeviceSettingsTheChildKeepsTheProxysEnvironmentAndIsNotMeasured() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let lease = try await harness.lease(FakeServer.spec("plain"))
        let pid = try #require(harness.status("plain")?.pid)
        #expect(Set(procList(pid, "environ")) == Set(ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }))
        #expect(harness.status("plain")?.measuredBytes == nil)
        harness.pool.release(lease)
    }
}
