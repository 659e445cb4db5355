import Testing
@testable import ProxyConfig

@Suite struct PlacementConfigParsingTests {
    let fileSystem = FakeFileSystem()

    func parse(_ members: String) throws(ConfigError) -> ProxyConfiguration {
        try fileSystem.parse(#"{"llama_server": "bin/llama-server", "# + members + "}")
    }

    func error(_ members: String) -> String? {
        fileSystem.error(#"{"llama_server": "bin/llama-server", "# + members + "}")
    }

    @Test func readsDevicesInTheirOrderAndEachModelsPlacement() throws {
        let config = try parse("""
            "devices": {
              "gpu0": {"memory_mib": 24000, "env": {"CUDA_VISIBLE_DEVICES": "0"}, "args": ["-ngl", "999"], "measure_rss": false},
              "host": {"memory_mib": 16000, "args": ["-ngl", "0"]}
            },
            "scheduling": {"max_wait_seconds": 12.5, "swap_hold_seconds": 0.25},
            "models": {
              "big": {"path": "/opt/shared/big.gguf", "device": "gpu0", "memory_mib": 20000, "priority": 3},
              "any": {"path": "models/tiny-a.gguf", "devices": ["host", "gpu0"], "priority": -1},
              "plain": {"path": "models/tiny-b.gguf"}
            }
            """)
        #expect(config.devices == [
            Device(name: "gpu0", memoryMiB: 24000, environment: ["CUDA_VISIBLE_DEVICES": "0"], arguments: ["-ngl", "999"],
                   measureResidentMemory: false),
            Device(name: "host", memoryMiB: 16000, arguments: ["-ngl", "0"]),
        ])
        #expect(config.scheduling == Scheduling(maxWait: 12.5, swapHold: 0.25))
        #expect(config.models == [
            ConfiguredModel(id: "any", path: "/etc/proxy/models/tiny-a.gguf", devices: ["host", "gpu0"], priority: -1),
            ConfiguredModel(id: "big", path: "/opt/shared/big.gguf", devices: ["gpu0"], memoryMiB: 20000, priority: 3),
            ConfiguredModel(id: "plain", path: "/etc/proxy/models/tiny-b.gguf"),
        ])
    }

    @Test func anNvidiaDeviceNamesItsGPUAndHowLongItsMemoryMayTakeToBeReleased() throws {
        let config = try parse("""
            "devices": {"gpu1": {"memory_mib": 24000, "nvidia_index": 1, "measure_rss": false}},
            "nvidia_smi": "nvidia-smi-wrapper", "timeouts": {"gpu_release_seconds": 12}
            """)
        #expect(config.devices == [Device(name: "gpu1", memoryMiB: 24000, measureResidentMemory: false, nvidiaIndex: 1)])
        #expect(config.nvidiaSMI == "nvidia-smi-wrapper")  // a bare name: looked up on PATH when it runs
        #expect(config.timeouts.gpuRelease == 12)
        let defaults = try parse(#""models": {}"#)
        #expect(defaults.nvidiaSMI == "nvidia-smi" && defaults.timeouts.gpuRelease == 30)
        #expect(error(#""nvidia_smi": "bin/missing-smi""#) == "nvidia_smi: file not found: /etc/proxy/bin/missing-smi")
    }

    @Test func withoutDevicesThereIsHostMemoryAndTheDefaultBound() throws {
        let config = try parse(#""models": {"m": {"path": "models/tiny-a.gguf", "device": "host", "memory_mib": 100}}"#)
        #expect(config.devices == nil)
        #expect(config.scheduling.maxWait == 30)
        #expect(config.models[0].devices == ["host"])
    }

    @Test func readsReplicasAndHowRequestsAreSpreadOverThem() throws {
        let config = try parse("""
            "scheduling": {"replica_load_slack": 0.5, "replica_routing": "round_robin"},
            "models": {"m": {"path": "models/tiny-a.gguf", "replicas": 3}, "one": {"path": "models/tiny-b.gguf"}}
            """)
        #expect(config.scheduling == Scheduling(replicaLoadSlack: 0.5, replicaRouting: "round_robin"))
        #expect(config.models.map(\.replicas) == [3, 1])
        let defaults = try parse(#""models": {}"#).scheduling
        #expect(defaults.replicaLoadSlack == 0.5)
        #expect(defaults.replicaRouting == "affinity")
    }

    @Test(arguments: [
        (#""devices": {}"#, "devices: give at least one device, or leave out `devices` for host memory"),
        (#""devices": {"gpu0": {}}"#, "devices.gpu0.memory_mib: missing; give the device's memory budget in MiB"),
        (#""devices": {"gpu0": {"memory_mib": 0}}"#, "devices.gpu0.memory_mib: expected an integer of MiB >= 1, got 0"),
        (#""devices": {"gpu0": {"memory_mib": "8G"}}"#, #"devices.gpu0.memory_mib: expected an integer of MiB >= 1, got "8G""#),
        (#""devices": {"gpu0": {"memory_mib": 8, "vram": 1}}"#, "devices.gpu0.vram: unknown key (known keys: memory_mib, env, args, measure_rss, nvidia_index)"),
        (#""devices": {"gpu0": {"memory_mib": 8, "nvidia_index": -1}}"#, "devices.gpu0.nvidia_index: expected a GPU index >= 0, as nvidia-smi -i takes it, got -1"),
        (#""nvidia_smi": 3"#, "nvidia_smi: expected a program name (looked up on PATH) or a path, got 3"),
        (#""timeouts": {"gpu_release_seconds": -1}"#, "timeouts.gpu_release_seconds: expected a number of seconds from 0 to 31536000, got -1"),
        (#""devices": {"gpu0": {"memory_mib": 8, "env": {"A": 1}}}"#, "devices.gpu0.env.A: expected a string, got 1"),
        (#""devices": {"gpu0": {"memory_mib": 8, "env": {"A=B": "x"}}}"#, "devices.gpu0.env.A=B: an environment variable name must be non-empty, without '='"),
        (#""devices": {"gpu 0": {"memory_mib": 8}}"#, "devices.gpu 0: a device name must be non-empty, without spaces or control characters"),
        (#""devices": {"gpu0": {"memory_mib": 8, "measure_rss": "no"}}"#, #"devices.gpu0.measure_rss: expected true or false, got "no""#),
        (#""scheduling": {"max_wait": 3}"#, "scheduling.max_wait: unknown key (did you mean max_wait_seconds?)"),
        (#""scheduling": {"max_wait_seconds": -1}"#, "scheduling.max_wait_seconds: expected a number of seconds from 0 to 31536000, got -1"),
        (#""scheduling": {"swap_hold_seconds": "1"}"#, #"scheduling.swap_hold_seconds: expected a number of seconds from 0 to 31536000, got "1""#),
        (#""models": {"m": {"path": "models/tiny-a.gguf", "device": "gpu0"}}"#, #"models.m.device: unknown device "gpu0" (known devices: host)"#),
        (#""devices": {"gpu0": {"memory_mib": 8}}, "models": {"m": {"path": "models/tiny-a.gguf", "devices": ["gpu0", "host"]}}"#,
         #"models.m.devices[1]: unknown device "host" (known devices: gpu0)"#),
        (#""models": {"m": {"path": "models/tiny-a.gguf", "device": "host", "devices": ["host"]}}"#, "models.m.devices: give either `device` or `devices`, not both"),
        (#""models": {"m": {"path": "models/tiny-a.gguf", "devices": []}}"#, "models.m.devices: give at least one device name, or leave it out for any device"),
        (#""models": {"m": {"path": "models/tiny-a.gguf", "devices": ["host", "host"]}}"#, #"models.m.devices[1]: device "host" is listed twice"#),
        (#""models": {"m": {"path": "models/tiny-a.gguf", "memory_mib": 1.5}}"#, "models.m.memory_mib: expected an integer of MiB >= 1, got 1.5"),
        (#""models": {"m": {"path": "models/tiny-a.gguf", "priority": "high"}}"#, #"models.m.priority: expected an integer from -1000000 to 1000000, got "high""#),
        (#""models": {"m": {"path": "models/tiny-a.gguf", "replicas": 0}}"#, "models.m.replicas: expected an integer from 1 to 64, got 0"),
        (#""scheduling": {"replica_load_slack": -0.1}"#, "scheduling.replica_load_slack: expected a number from 0 to 1000, got -0.1"),
        (#""scheduling": {"replica_routing": "random"}"#, #"scheduling.replica_routing: expected "affinity" or "round_robin", got "random""#),
    ])
    func refusesWithAClearMessage(_ members: String, _ expected: String) {
        #expect(error(members) == expected)
    }
}
