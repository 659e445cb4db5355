public struct PoolConfiguration: Sendable {
    /// Children that may exist at once (starting, ready or stopping).
    public var maxLoaded: Int
    /// Seconds from spawn until /health must answer 200; 0 means no limit.
    public var loadTimeout: Double
    /// Seconds an acquire may wait in its model's queue, not counting the time its model spends
    /// loading (the load timeout bounds that); 0 means no limit.
    public var queueTimeout: Double
    /// Seconds between SIGTERM and SIGKILL; 0 means SIGKILL at once.
    public var stopTimeout: Double
    /// Longest restart backoff of a model that keeps failing (1 s, doubling per failure in a
    /// row); a child that stays ready this long counts as a success. 0 means no backoff.
    public var restartBackoffMax: Double
    /// Holds the children's sockets; created with mode 0700.
    public var runtimeDirectory: String
    /// Where children may run, in order of preference; at least one.
    public var devices: [PoolDevice]
    /// Seconds a model's oldest request may wait for room while loaded models keep serving their
    /// own queues; past it, the models in its way take no new requests until they made room.
    /// 0 means no bound.
    public var maxWait: Double
    /// Seconds between health checks of a ready, idle child; 0 means none.
    public var healthCheckInterval: Double
    /// Bounds each health check's connect, send and each receive.
    public var healthCheckTimeout: Double
    /// Failed health checks in a row (each while the child was idle) that get it killed.
    public var healthCheckFailures: Int
    /// Disk bytes the saved prompt caches (KV slots) of evicted children may take; 0: the cache
    /// is off (children get no `--slot-save-path`, nothing is saved or restored).
    public var slotCacheBytes: UInt64
    /// Bounds saving a stopping child's slots, and restoring them into a new child; past it the
    /// stop (or the ready) goes ahead without them.
    public var slotSaveTimeout: Double
    /// Longest swap hold (see PoolScheduler+swapHold): an idle model used within its last load's
    /// duration, at most this many seconds, is not evicted for a model that waited less. 0: none.
    public var swapHold: Double
    /// ε of the replicas' bounded load: a replica already holding ⌈(1 + ε) × mean⌉ requests
    /// (in flight and queued, over the model's usable replicas) is skipped for the next.
    public var replicaLoadSlack: Double
    public var replicaRouting: ReplicaRouting
    /// Seconds the room a child held on an NVIDIA device waits, after its exit, for nvidia-smi to
    /// show it released before it counts as free anyway; 0: no wait.
    public var gpuReleaseTimeout: Double
    /// The program asked for an NVIDIA device's used memory (a name is looked up on PATH).
    public var nvidiaSMI: String
    /// Longest a model's RPC server may take to accept the connection that checks it is up (0: the kernel's limit).
    public var rpcConnectTimeout: Double

    /// The slot-cache folders, one per key, inside the runtime folder (removed with it).
    var slotCacheRoot: String? { slotCacheBytes > 0 ? runtimeDirectory + "/slot-cache" : nil }

    public init(
        maxLoaded: Int = 2, loadTimeout: Double = 600, queueTimeout: Double = 600, stopTimeout: Double = 10,
        restartBackoffMax: Double = 60, runtimeDirectory: String, devices: [PoolDevice] = [.unlimited],
        maxWait: Double = 30, healthCheckInterval: Double = 0, healthCheckTimeout: Double = 5, healthCheckFailures: Int = 3,
        slotCacheBytes: UInt64 = 0, slotSaveTimeout: Double = 30, swapHold: Double = 1, replicaLoadSlack: Double = 0.5,
        replicaRouting: ReplicaRouting = .affinity, gpuReleaseTimeout: Double = 30, nvidiaSMI: String = "nvidia-smi",
        rpcConnectTimeout: Double = 10
    ) {
        self.rpcConnectTimeout = max(0, rpcConnectTimeout)
        self.gpuReleaseTimeout = max(0, gpuReleaseTimeout)
        self.nvidiaSMI = nvidiaSMI
        self.replicaLoadSlack = max(0, replicaLoadSlack)
        self.replicaRouting = replicaRouting
        self.maxLoaded = maxLoaded
        self.loadTimeout = loadTimeout
        self.queueTimeout = queueTimeout
        self.stopTimeout = stopTimeout
        self.restartBackoffMax = restartBackoffMax
        self.runtimeDirectory = runtimeDirectory
        self.devices = devices.isEmpty ? [.unlimited] : devices
        self.maxWait = maxWait
        self.healthCheckInterval = healthCheckInterval
        self.healthCheckTimeout = healthCheckTimeout
        self.healthCheckFailures = max(1, healthCheckFailures)
        self.slotCacheBytes = slotCacheBytes
        self.slotSaveTimeout = slotSaveTimeout
        self.swapHold = swapHold
    }
}
