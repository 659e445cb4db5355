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

    @Test func theGuessCountsEveryShardOfASplitModel() {
        #expect(ModelMemoryGuess.shardPaths(of: "/m/big-00001-of-00003.gguf")
            == ["/m/big-00001-of-00003.gguf", "/m/big-00002-of-00003.gguf", "/m/big-00003-of-00003.gguf"])
        #expect(ModelMemoryGuess.shardPaths(of: "/m/q-4-of-x.gguf") == ["/m/q-4-of-x.gguf"])
        #expect(ModelMemoryGuess.shardPaths(of: "/m/big-00002-of-00003.gguf") == ["/m/big-00002-of-00003.gguf"])
        let missing = ResolvedModel(id: "x", ggufPath: "/nonexistent/x.gguf", origin: .discovered)
        #expect(ModelMemoryGuess.bytes(for: missing) == ModelMemoryGuess.margin)
    }
}
