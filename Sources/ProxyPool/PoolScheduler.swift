/// The pool's decisions as a value: single-flight loads, slots, LRU eviction, queueing and
/// failures. Events and requests go in with the current time; `PoolAction`s come out. It
/// never touches a process, a thread or a clock, so every rule is unit-tested directly.
struct PoolScheduler: Sendable {
    enum StopReason: String, Sendable {
        case lru, shutdown, loadTimeout = "load-timeout"
    }

    struct Model: Sendable {
        var spec: LaunchSpec
        var state: ModelState
        /// The current (or last) child; leases carry it so stale ones are recognised.
        var instance: Int
        var endpoint: UpstreamEndpoint
        var pid: Int32?
        var inFlight = 0
        var lastUsed: UInt64
        /// Acquires that joined this load (single flight); granted together when it is ready.
        var loadWaiters: [Int]
        var stopReason: StopReason?
        var startedAt: UInt64
        var readyAt: UInt64 = 0
        var stopRequestedAt: UInt64 = 0
    }

    struct Waiter: Sendable, Equatable {
        var id: Int
        var spec: LaunchSpec
    }

    let configuration: PoolConfiguration
    var models: [String: Model] = [:]
    /// Acquires waiting for a slot (or for their model to finish stopping), oldest first.
    var pending: [Waiter] = []
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
        models.mapValues { ModelStatus(state: $0.state, pid: $0.pid, inFlight: $0.inFlight) }
    }

    func lease(for model: Model) -> ServerLease {
        ServerLease(modelID: model.spec.modelID, endpoint: model.endpoint, instance: model.instance)
    }

    /// The model's record if `instance` is still its current child.
    func current(_ modelID: String, instance: Int) -> Model? {
        guard let model = models[modelID], model.instance == instance else { return nil }
        return model
    }
}
