import Dispatch
import Foundation
import ProxyTime
import Synchronization

/// Starts llama-server children on demand, hands out leases on ready ones (at most each model's
/// concurrency limit; further acquires wait in its queue), and evicts the least recently used
/// idle one when full. The decisions live in `PoolScheduler`; this class
/// holds it under one lock, turns its actions into effects, and performs them outside the lock.
public final class ServerPool: Sendable {
    public typealias Completion = @Sendable (Result<ServerLease, PoolError>) -> Void

    struct State: Sendable {
        var scheduler: PoolScheduler
        var completions: [Int: Completion] = [:]
        /// Running queue clocks, by waiter; cancelled when the waiter is served or its clock stops.
        var queueTimers: [Int: TimerThread.Token] = [:]
        /// By instance number; a child leaves when it has exited and been reaped.
        var children: [Int: ChildProcess] = [:]
        var nextWaiter = 1
        /// What the observer last heard, per model (see ServerPool+events).
        var published: [String: PoolEvent.Snapshot] = [:]
    }

    let configuration: PoolConfiguration
    let probe: any ReadinessProbe
    /// Asks a ready child's `/health` for the health checks (with their own, longer timeout).
    let healthProbe: any ReadinessProbe
    let log: @Sendable (String) -> Void
    /// Receives the scheduler's life-cycle facts (loads, unloads), outside the lock.
    let record: @Sendable (PoolMetric) -> Void
    /// Receives the children's output and their starts and ends (see `ChildLogEvent`).
    let childLog: @Sendable (ChildLogEvent) -> Void
    /// Makes each child's reader of what it says it allocated (nil: children's reports are not read).
    let memoryReader: (@Sendable () -> any ChildMemoryReader)?
    /// Hears of every state and queue change (see ServerPool+events).
    let observer: (any PoolObserver)?
    let state: Mutex<State>
    /// Samples and polls NVIDIA devices' used memory (see PoolScheduler+gpuRelease).
    let gpuWatcher: GPUReleaseWatcher
    /// Woken on every release and exit while shutting down, so `shutdown` waits without polling.
    let shutdownProgress = DispatchSemaphore(value: 0)

    public init(
        configuration: PoolConfiguration, probe: any ReadinessProbe = HealthProbe(),
        healthProbe: (any ReadinessProbe)? = nil, log: @escaping @Sendable (String) -> Void,
        record: @escaping @Sendable (PoolMetric) -> Void = { _ in },
        childLog: @escaping @Sendable (ChildLogEvent) -> Void = { _ in }, observer: (any PoolObserver)? = nil,
        memoryReader: (@Sendable () -> any ChildMemoryReader)? = nil
    ) {
        self.memoryReader = memoryReader
        self.observer = observer
        self.record = record
        self.childLog = childLog
        self.configuration = configuration
        self.probe = probe
        self.healthProbe = healthProbe ?? HealthProbe(timeout: configuration.healthCheckTimeout)
        self.log = log
        gpuWatcher = GPUReleaseWatcher(executable: configuration.nvidiaSMI, log: log)
        state = Mutex(State(scheduler: PoolScheduler(configuration: configuration)))
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.runtimeDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            // Each start will then fail with a message that says why.
            log("cannot create runtime directory \(configuration.runtimeDirectory): \(error)")
        }
    }

    /// By model id, for /v1/models. Models never acquired are absent (they are `stopped`).
    public func statuses() -> [String: ModelStatus] {
        state.withLock { $0.scheduler.statuses() }
    }

    /// Where children may run, with their budgets.
    public var devices: [PoolDevice] { configuration.devices }

    /// One model's life-cycle state (nil: never acquired), without building every status.
    public func state(of modelID: String) -> ModelState? {
        state.withLock { $0.scheduler.models[modelID]?.state }
    }

    /// Queue timers set and not yet fired or cancelled (for tests and diagnostics).
    var runningQueueTimers: Int {
        state.withLock { $0.queueTimers.count }
    }
}
