import Foundation
import Glibc
import Testing
import ProxyConfig
import ProxyPool
import ProxyResolver
@testable import ProxyAPI

@Suite struct PlacementLaunchTests {
    @Test func withoutDevicesTheHostGetsItsMemoryLessAReserve() {
        let config = ProxyConfiguration(llamaServer: "/bin/llama-server")
        let small = PoolDevices.make(config, hostMemory: { 8 << 30 })
        #expect(small == [PoolDevice(name: "host", memoryBytes: (8 << 30) - (8 << 30) / 10, measureResidentMemory: true)])
        let big = PoolDevices.make(config, hostMemory: { 64 << 30 })
        #expect(big[0].memoryBytes == (62 << 30))  // the reserve stops at 2 GiB
        #expect(PoolDevices.make(config, hostMemory: { nil }) == [.unlimited])
    }

    @Test func configuredDevicesKeepTheirOrderAndSettings() {
        var config = ProxyConfiguration(llamaServer: "/bin/llama-server")
        config.devices = [
            Device(name: "gpu0", memoryMiB: 100, environment: ["CUDA_VISIBLE_DEVICES": "0"], arguments: ["-ngl", "999"], measureResidentMemory: false),
            Device(name: "host", memoryMiB: 50),
        ]
        #expect(PoolDevices.make(config, hostMemory: { nil }) == [
            PoolDevice(name: "gpu0", memoryBytes: 100 << 20, environment: ["CUDA_VISIBLE_DEVICES": "0"], arguments: ["-ngl", "999"]),
            PoolDevice(name: "host", memoryBytes: 50 << 20, measureResidentMemory: true),
        ])
    }

    @Test func aConfiguredFigureReplacesTheEstimateAndPlacementCarriesOver() {
        var spec = LaunchSpec(modelID: "m", executable: "llama-server", arguments: [])
        spec.place(ConfiguredModel(id: "m", path: "/m.gguf", devices: ["gpu0"], memoryMiB: 300, priority: 2), estimate: { 1 })
        #expect(spec.memoryBytes == 300 << 20)
        #expect(spec.memoryIsConfigured)
        #expect(spec.devices == ["gpu0"])
        #expect(spec.priority == 2)
        var discovered = LaunchSpec(modelID: "d", executable: "llama-server", arguments: [])
        discovered.place(nil, estimate: { 12345 })
        #expect(discovered.memoryBytes == 12345)
        #expect(!discovered.memoryIsConfigured)
        #expect(discovered.devices.isEmpty)
    }

    @Test func aModelWhoseHeaderCannotBeReadFallsBackToItsFileSizes() throws {
        let missing = ResolvedModel(id: "x", ggufPath: "/nonexistent/x.gguf", origin: .discovered)
        #expect(ModelMemoryFigure.bytes(for: missing, arguments: []) == ModelMemoryFigure.fallbackMargin)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-gguf-\(getpid()).gguf").path
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let broken = ResolvedModel(id: "y", ggufPath: path, origin: .discovered)
        #expect(ModelMemoryFigure.bytes(for: broken, arguments: []) == 1000 + 100 + ModelMemoryFigure.fallbackMargin)
        // Remembered by file and arguments: a changed file is read again.
        try Data(repeating: 7, count: 2000).write(to: URL(fileURLWithPath: path))
        #expect(ModelMemoryFigure.bytes(for: broken, arguments: []) == 2000 + 200 + ModelMemoryFigure.fallbackMargin)
    }
}
