import Endpoints
/// A place children run, as the pool sees it: a memory budget and what a child placed there gets.
public struct PoolDevice: Sendable, Equatable {
    public var name: String
    /// Bytes of models (their placement figures) the device holds at most.
    public var memoryBytes: UInt64
    /// Added to (or replacing) the proxy's own environment for a child placed here.
    public var environment: [String: String]
    /// Appended to a child's arguments, after all of its own.
    public var arguments: [String]
    /// Measure a child's resident memory (its process tree's VmRSS) once it is ready, and place
    /// by that figure from then on.
    public var measureResidentMemory: Bool
    /// The NVIDIA GPU (`nvidia-smi -i N`) this device is: the room a child held here counts as
    /// free only once nvidia-smi shows it released (see PoolScheduler+gpuRelease). nil: at its exit.
    public var nvidiaIndex: Int?
    /// The llama.cpp RPC servers its `arguments`' `--rpc` names (which then win over the model's).
    public var rpcServers: [UpstreamEndpoint] = []

    public init(
        name: String, memoryBytes: UInt64, environment: [String: String] = [:], arguments: [String] = [],
        measureResidentMemory: Bool = false, nvidiaIndex: Int? = nil
    ) {
        self.nvidiaIndex = nvidiaIndex
        self.name = name
        self.memoryBytes = memoryBytes
        self.environment = environment
        self.arguments = arguments
        self.measureResidentMemory = measureResidentMemory
    }

    /// One device without a memory limit: only `maxLoaded` counts.
    public static let unlimited = PoolDevice(name: "host", memoryBytes: .max)

    public static let mebibyte: UInt64 = 1 << 20

    /// Whole MiB, rounded up, for messages.
    public static func mebibytes(_ bytes: UInt64) -> UInt64 {
        bytes / mebibyte + (bytes % mebibyte == 0 ? 0 : 1)
    }
}
