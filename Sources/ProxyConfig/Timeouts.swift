/// Time limits, in seconds. Zero means "no limit" for `load`, `upstreamIdle` and `upstreamConnect`.
public struct Timeouts: Sendable, Equatable {
    /// A starting llama-server must answer `/health` within this.
    public var load: Double
    /// A request waits this long in its model's queue (for room to load it or a free slot on
    /// it), not counting the time the model spends loading.
    public var queue: Double
    /// A client must send its whole request head within this.
    public var requestHeader: Double
    /// Idle keep-alive client connections are closed after this.
    public var keepAlive: Double
    /// Longest silence allowed while waiting for bytes from llama-server.
    public var upstreamIdle: Double
    /// Longest a TCP connect to an upstream may take (a remote host that drops packets). Zero: the kernel's own limit.
    public var upstreamConnect: Double
    /// On SIGTERM/SIGINT, in-flight requests get this long to finish.
    public var shutdownGrace: Double
    /// An agent plugin must finish handling a request within this, or the request gets 504.
    /// Always greater than zero: an agent runs on the request's path, so it is never unbounded.
    public var agent: Double
    /// Longest wait before a model that keeps failing to start (or dying soon after) is started
    /// again; the wait starts at 1 s and doubles with each failure in a row. Zero: no backoff.
    public var restartBackoffMax: Double
    /// A stopping llama-server gets this long after SIGTERM before SIGKILL. Zero: SIGKILL at once.
    public var stop: Double
    /// Seconds between health checks of a loaded, idle llama-server. Zero: none.
    public var healthCheck: Double
    /// How long one health check may take (connect, send, each receive); above zero.
    public var healthCheckTimeout: Double
    /// Bounds saving an evicted llama-server's slots (and restoring them into the next one).
    public var slotSave: Double
    /// Seconds between the comment lines that keep an idle `GET /events` stream open; above zero.
    public var eventsHeartbeat: Double
    /// Longest wait, after a child on an NVIDIA device exited, for nvidia-smi to show its memory
    /// released; then the room counts as free anyway. Zero: no wait.
    public var gpuRelease: Double = 30

    public init(
        load: Double = 600, queue: Double = 600, requestHeader: Double = 30, keepAlive: Double = 120,
        upstreamIdle: Double = 0, shutdownGrace: Double = 30, agent: Double = 1, restartBackoffMax: Double = 60,
        stop: Double = 10, healthCheck: Double = 10, healthCheckTimeout: Double = 5,
        slotSave: Double = 30, eventsHeartbeat: Double = 15, upstreamConnect: Double = 10
    ) {
        self.eventsHeartbeat = eventsHeartbeat
        self.upstreamConnect = upstreamConnect
        self.load = load
        self.queue = queue
        self.requestHeader = requestHeader
        self.keepAlive = keepAlive
        self.upstreamIdle = upstreamIdle
        self.shutdownGrace = shutdownGrace
        self.agent = agent
        self.restartBackoffMax = restartBackoffMax
        self.stop = stop
        self.healthCheck = healthCheck
        self.healthCheckTimeout = healthCheckTimeout
        self.slotSave = slotSave
    }
}
