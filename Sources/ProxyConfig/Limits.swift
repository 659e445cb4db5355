/// Size limits on what clients send, and bounds on the agent executor.
public struct Limits: Sendable, Equatable {
    public var maxBodyBytes: Int
    public var maxHeaderBytes: Int
    /// Dedicated threads that run agent plugins.
    public var agentThreads: Int
    /// Agent invocations that may wait for a thread; beyond them a request gets 503 `agent_busy`.
    public var agentQueue: Int
    /// Failed health checks in a row that get a loaded llama-server killed and restarted.
    public var healthCheckFailures: Int
    /// MiB of disk the saved prompt caches of evicted models may take; 0: the cache is off.
    public var slotCacheMiB: Int
    /// Lines kept per log source (the proxy, each model) for `GET /logs`.
    public var logLines: Int
    /// Bytes a live log stream may hold for a client that does not read; past them it is dropped.
    public var logStreamBufferBytes: Int
    /// Finished requests `GET /admin/status` keeps (the newest; 0: none).
    public var recentRequests: Int
    /// Events a `GET /events` client may be behind by; one further behind is dropped (it never
    /// holds up the pool or the other clients).
    public var eventBuffer: Int
    /// Model calls one exchange through a response hook may make (its first and each RETRY).
    public var responseHookRounds: Int

    public init(maxBodyBytes: Int = 64 * 1024 * 1024, maxHeaderBytes: Int = 64 * 1024,
                agentThreads: Int = 8, agentQueue: Int = 256, healthCheckFailures: Int = 3, slotCacheMiB: Int = 4096,
                logLines: Int = 1000, logStreamBufferBytes: Int = 4 << 20, recentRequests: Int = 100, eventBuffer: Int = 1024,
                responseHookRounds: Int = 8) {
        self.responseHookRounds = responseHookRounds
        self.logLines = logLines
        self.logStreamBufferBytes = logStreamBufferBytes
        self.recentRequests = recentRequests
        self.eventBuffer = eventBuffer
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.agentThreads = agentThreads
        self.agentQueue = agentQueue
        self.healthCheckFailures = healthCheckFailures
        self.slotCacheMiB = slotCacheMiB
    }
}
