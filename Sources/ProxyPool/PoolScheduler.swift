import Endpoints
/// The pool's decisions as a value: single-flight loads, one FIFO queue per model with a
/// concurrency limit, slots, LRU eviction, queue timeouts, cancellation, restart backoff and
/// failures. Events and requests go in with the current time; `PoolAction`s come out. It never
/// touches a process, a thread or a clock, so every rule is unit-tested directly.
struct PoolScheduler: Sendable {
    enum StopReason: String, Sendable {
        case evicted, shutdown, abandoned, unreachable, loadTimeout = "load-timeout"
        case ttl, unhealthy, group
        /// An operator asked for it (`POST /models/unload`, `/unload`).
        case requested
    }

    /// What a child of `spec` was measured to hold: the figure its next start is placed by.
    struct MeasuredMemory: Sendable, Equatable {
        var spec: LaunchSpec
        var bytes: UInt64
    }

    struct Model: Sendable {
        var spec: LaunchSpec
        var state: ModelState
        /// The current (or last) child; leases carry it so stale ones are recognised. 0: none yet.
        var instance: Int
        /// The current child's socket (an empty path before the first start).
        var endpoint: UpstreamEndpoint
        var pid: Int32?
        var inFlight = 0
        var lastUsed: UInt64
        /// Acquires waiting for this model, oldest first: for room to load it, for its load
        /// (single flight: all are served when it is ready), or for a free slot on it.
        var queue: [Waiter] = []
        var stopReason: StopReason?
        var startedAt: UInt64 = 0
        var readyAt: UInt64 = 0
        var stopRequestedAt: UInt64 = 0
        var backoff: RestartBackoff
        /// The device the current child runs on, and the bytes it is counted for there
        /// (from its start until its exit).
        var device: String?
        var placedBytes: UInt64 = 0
        var measured: MeasuredMemory?
        /// What a child of `spec` said it allocated (llama-server's own report).
        var reported: MeasuredMemory?
        /// Nanoseconds the last load took: what evicting the model costs when it is wanted again.
        var lastLoadDuration: UInt64 = 0
        /// Takes no new requests: a model that waited too long for room needs it to stop.
        var isDraining = false
        /// An unload was asked for while requests were in flight: it takes no new ones and stops
        /// when the last one ends (see PoolScheduler+unload).
        var isUnloading = false
        /// Children started for this model (restarts: all but the first).
        var starts = 0
        /// Why its last load failed, or its last child died on its own (nil: never).
        var lastError: String?
        /// Models were stopped to make room for this one: it has first claim on the room, until
        /// it starts or nobody waits for it any more.
        var hasClaim = false
        /// When it was last evicted: its requests' claim to room counts from here at the earliest.
        var roomLostAt: UInt64 = 0
        /// The deadline of the swap-hold timer armed for it while it waits (see +swapHold).
        var holdTimerAt: UInt64?
        /// TTL and health-check bookkeeping of the current child (see PoolScheduler+idle, +health).
        var lifetimeState = LifetimeState()
        /// The current child's slot-cache key (set when it spawned; nil: the cache is off).
        var cacheKey: SlotCacheKey?
        /// Whether the child is saving its slots before it stops, or restoring them before it is ready.
        var slotPhase = SlotPhase.none
        /// When the restore began.
        var slotPhaseSince: UInt64 = 0

        /// A ready model with a request in flight or waiting is never evicted, unless it drains.
        var isIdle: Bool { state == .ready && inFlight == 0 && (queue.isEmpty || isDraining) }
        var hasFreeSlot: Bool { inFlight < spec.concurrencyLimit }
        /// Draining for room, or being unloaded: no request is granted a slot on it.
        var refusesRequests: Bool { isDraining || isUnloading }
    }

    struct Waiter: Sendable, Equatable {
        var id: Int
        var spec: LaunchSpec
        /// Arrival order across all models: room to load a model goes to the oldest waiter first.
        var arrival: Int
        /// Nanoseconds of queue time left (nil: no limit). Spent only while the clock runs.
        var queueBudget: UInt64?
        /// Set while the queue clock runs, i.e. whenever the waiter's model is not loading.
        var queueDeadline: UInt64?
        /// When it joined the queue: its wait counts towards the starvation bound from here.
        var enqueuedAt: UInt64
    }

    let configuration: PoolConfiguration
    var models: [String: Model] = [:]
    /// Waiters in all queues, so a release with nobody waiting stays O(1).
    private(set) var queuedTotal = 0
    var nextArrival = 1
    var nextInstance = 1
    var isShuttingDown = false
    /// Some model drains (set by the last placement pass).
    var anyDraining = false
    /// The models draining for one that waited past the starvation bound.
    var drainPlan: DrainPlan?
    /// Saved slot files, by key, within the disk budget (see PoolScheduler+slotCache).
    var slotCache: SlotCacheLedger
    /// The ring of each replica count in use (see PoolScheduler+replicas).
    var affinityRings: [Int: AffinityRing] = [:]
    /// Room on NVIDIA devices that exited children held, not yet seen released (see +gpuRelease).
    var gpuReleases: [GPURelease] = []
    /// Round-robin routing's turn, by model name.
    var replicaTurns: [String: Int] = [:]

    struct DrainPlan: Sendable, Equatable {
        var modelID: String
        var device: String
        var blockers: [String]
    }

    init(configuration: PoolConfiguration) {
        self.configuration = configuration
        slotCache = SlotCacheLedger(budgetBytes: configuration.slotCacheBytes)
    }

    var capacity: Int { max(1, configuration.maxLoaded) }

    /// Starting, ready and stopping children all hold memory, so all count against capacity.
    var occupiedSlots: Int { models.values.count { $0.state != .stopped } }

    var inFlightTotal: Int { models.values.reduce(0) { $0 + $1.inFlight } }

    func statuses() -> [String: ModelStatus] {
        models.mapValues { model in
            ModelStatus(
                state: model.state, pid: model.pid, inFlight: model.inFlight, queued: model.queue.count, device: model.device,
                memoryBytes: model.state == .stopped ? memoryNeed(of: model, spec: model.queue.last?.spec ?? model.spec) : model.placedBytes,
                measuredBytes: model.measured?.bytes, reportedBytes: model.reported?.bytes, expiresAt: model.isUnused ? model.lifetimeState.expiresAt : nil)
        }
    }

    func histories() -> [String: ModelHistory] {
        models.mapValues { model in
            ModelHistory(
                startedAt: model.startedAt, readyAt: model.readyAt, lastUsed: model.lastUsed,
                lastLoadDuration: model.lastLoadDuration, lastError: model.lastError, restarts: max(0, model.starts - 1),
                stopReason: model.stopReason?.rawValue ?? (model.isUnloading ? StopReason.requested.rawValue : nil))
        }
    }

    func lease(for model: Model) -> ServerLease {
        ServerLease(modelID: model.spec.modelID, endpoint: model.endpoint, instance: model.instance, replica: model.spec.replica)
    }

    /// The model's record if `instance` is still its current child.
    func current(_ modelID: String, instance: Int) -> Model? {
        guard let model = models[modelID], model.instance == instance else { return nil }
        return model
    }

    // MARK: queue bookkeeping (every change goes through these, so `queuedTotal` stays right)

    mutating func appendWaiter(_ waiter: Waiter, to modelID: String) {
        models[modelID]!.queue.append(waiter)
        queuedTotal += 1
    }

    @discardableResult
    mutating func removeWaiter(at index: Int, of modelID: String) -> Waiter {
        queuedTotal -= 1
        let waiter = models[modelID]!.queue.remove(at: index)
        if models[modelID]!.queue.isEmpty { models[modelID]!.hasClaim = false }
        return waiter
    }

    mutating func takeFirstWaiter(of modelID: String) -> Waiter {
        removeWaiter(at: 0, of: modelID)
    }

    mutating func takeQueue(of modelID: String) -> [Waiter] {
        let queue = models[modelID]!.queue
        models[modelID]!.queue = []
        models[modelID]!.hasClaim = false
        queuedTotal -= queue.count
        return queue
    }
}
