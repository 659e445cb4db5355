import Endpoints
/// How to start the llama-server for one model, how many requests it may serve at once, and how
/// many may wait for it.
/// The pool appends `--host <socket>`, so `arguments` must not choose the listening address itself.
/// With a `command`, the pool runs that instead (`executable` and `arguments` are then unused).
public struct LaunchSpec: Sendable, Hashable {
    public var modelID: String
    /// A path, or a bare name looked up on PATH.
    public var executable: String
    /// e.g. ["-m", "/abs/tiny.gguf", "--alias", "tiny"]
    public var arguments: [String]
    /// Leases the pool hands out on one child at once; further acquires wait in the model's queue.
    public var concurrencyLimit: Int
    /// Bytes the model needs where it runs: an estimate (0: unknown), replaced by a measurement
    /// once a child of this spec ran, unless `memoryIsConfigured` (the operator's own figure).
    public var memoryBytes: UInt64
    public var memoryIsConfigured: Bool
    /// Devices the model may run on, in order of preference; empty: any.
    public var devices: [String]
    /// Among models waiting for room, a higher priority is loaded first.
    public var priority: Int
    /// TTL, pinning and group: what may unload the model.
    public var lifetime: ModelLifetime
    /// Acquires that may wait in the model's queue at once; one more fails at once (`queueFull`).
    /// nil: no limit.
    public var queueLimit: Int?
    /// Any other OpenAI-compatible server to run instead of llama-server.
    public var command: UpstreamCommand?
    /// Seconds between the stop (signal or stop command) and SIGKILL; nil: the pool's.
    public var stopSeconds: Double?
    /// Children of this model that may run at once, each a model of its own to the scheduler
    /// (placed, counted, evicted alike); requests are spread over them (PoolScheduler+replicas).
    public var replicas: Int
    /// Which of them this spec starts, from 1 (see `replica(_:)`).
    public private(set) var replica = 1
    /// The llama.cpp RPC servers its `--rpc` names: each must accept a connection before the
    /// child is started (see ChildProcess+spawn).
    public var rpcServers: [UpstreamEndpoint] = []
    /// The model's own id, whichever replica this is (`modelID` names the replica).
    public private(set) var modelName: String

    public init(
        modelID: String, executable: String, arguments: [String], concurrencyLimit: Int = .max,
        memoryBytes: UInt64 = 0, memoryIsConfigured: Bool = false, devices: [String] = [], priority: Int = 0,
        queueLimit: Int? = nil, lifetime: ModelLifetime = ModelLifetime(), command: UpstreamCommand? = nil,
        stopSeconds: Double? = nil, replicas: Int = 1
    ) {
        self.modelName = modelID
        self.replicas = max(1, replicas)
        self.command = command
        self.stopSeconds = stopSeconds
        self.modelID = modelID
        self.executable = executable
        self.arguments = arguments
        self.concurrencyLimit = max(1, concurrencyLimit)
        self.memoryBytes = memoryBytes
        self.memoryIsConfigured = memoryIsConfigured
        self.devices = devices
        self.priority = priority
        self.lifetime = lifetime
        self.queueLimit = queueLimit.map { max(1, $0) }
    }
}

extension LaunchSpec {
    /// Replica `number` (from 1) of this model: replica 1 keeps the model's id, replica n is
    /// `<id>#n` (in logs, metrics and `/v1/models`' `replicas`).
    public func replica(_ number: Int) -> LaunchSpec {
        var spec = self
        spec.replica = number
        spec.modelID = number == 1 ? modelName : "\(modelName)#\(number)"
        return spec
    }
}
