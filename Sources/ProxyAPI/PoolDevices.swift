import ProxyConfig
import ProxyPool

/// The pool's devices for a configuration: those configured, or host memory (MemTotal less a
/// reserve of a tenth, at most 2 GiB) when it names none.
enum PoolDevices {
    static let maximumReserve: UInt64 = 2 << 30

    static func make(_ configuration: ProxyConfiguration, hostMemory: () -> UInt64? = SystemMemory.totalBytes) -> [PoolDevice] {
        guard let devices = configuration.devices else {
            guard let total = hostMemory() else { return [.unlimited] }
            return [PoolDevice(
                name: Device.defaultName, memoryBytes: total - min(total / 10, maximumReserve), measureResidentMemory: true)]
        }
        return devices.map {
            var device = PoolDevice(
                name: $0.name, memoryBytes: UInt64($0.memoryMiB) * PoolDevice.mebibyte, environment: $0.environment,
                arguments: $0.arguments, measureResidentMemory: $0.measureResidentMemory, nvidiaIndex: $0.nvidiaIndex)
            device.rpcServers = RPCServers.endpoints(in: $0.arguments)
            return device
        }
    }
}
