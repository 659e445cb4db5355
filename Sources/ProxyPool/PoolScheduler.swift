/// The pool's decisions as a value: single-flight loads, one FIFO queue per model with a
/// concurrency limit, slots, LRU eviction, queue timeouts, cancellation, restart backoff and
/// failures. Events and requests go in with the current time; `PoolAction`s come out. It never
/// touches a process, a thread or a clock, so every rule is unit-tested directly.
struct PoolScheduler: Sendable {
    enum StopReason: String, Sendable {
        case lru, shutdown, abandoned, unreachable, loadTimeout = "load-timeout"
        case ttl, unhealthy, group
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
        /// TTL and health-check bookkeeping of the current child (see PoolScheduler+idle, +health).
        var lifetimeState = LifetimeState()

        /// A ready model with a request in flight or waiting is never evicted.
        var isIdle: Bool { state == .ready && inFlight == 0 && queue.isEmpty }
        var hasFreeSlot: Bool { inFlight < spec.concurrencyLimit }
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
    }

    let configuration: PoolConfiguration
    var models: [String: Model] = [:]
    /// Waiters in all queues, so a release with nobody waiting stays O(1).
    private(set) var queuedTotal = 0
    var nextArrival = 1
    var nextInstance = 1
    var isShuttingDown = false

    init(configuration: PoolConfiguration) {
        self.configuration = configuration
    }

    var capacity: Int { max(1, configuration.maxLoaded) }

    /// Starting, ready and stopping children all hold memory, so all count against capacity.
    var occupiedSlots: Int { models.values.count { $0.state != .stopped } }

    var inFlightTotal: Int { models.values.reduce(0) { $0 + $1.inFlight } }

    func statuses() -> [String: ModelStatus] {
        models.mapValues {
            ModelStatus(
                state: $0.state, pid: $0.pid, inFlight: $0.inFlight, queued: $0.queue.count,
                expiresAt: $0.isIdle ? $0.lifetimeState.expiresAt : nil)
        }
    }

    func lease(for model: Model) -> ServerLease {
        ServerLease(modelID: model.spec.modelID, endpoint: model.endpoint, instance: model.instance)
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
        return models[modelID]!.queue.remove(at: index)
    }

    mutating func takeFirstWaiter(of modelID: String) -> Waiter {
        removeWaiter(at: 0, of: modelID)
    }

    mutating func takeQueue(of modelID: String) -> [Waiter] {
        let queue = models[modelID]!.queue
        models[modelID]!.queue = []
        queuedTotal -= queue.count
        return queue
    }
}
