@testable import ProxyPool

/// Builders for driving `PoolScheduler` by hand: no processes, times in plain milliseconds.
extension PoolScheduler {
    static func testing(
        maxLoaded: Int = 2, queueTimeout: Double = 600, restartBackoffMax: Double = 0, devices: [PoolDevice] = [.unlimited],
        maxWait: Double = 30, healthCheckInterval: Double = 0, healthCheckFailures: Int = 3, swapHold: Double = 1
    ) -> PoolScheduler {
        PoolScheduler(
            configuration: PoolConfiguration(
                maxLoaded: maxLoaded, queueTimeout: queueTimeout, restartBackoffMax: restartBackoffMax,
                runtimeDirectory: "/run/p", devices: devices, maxWait: maxWait, healthCheckInterval: healthCheckInterval,
                healthCheckFailures: healthCheckFailures, swapHold: swapHold))
    }

    /// Enqueues `spec` at `now` (nanoseconds), and if that started a child, reports it spawned and ready at `readyAt`.
    mutating func load(_ spec: LaunchSpec, waiter: Int, now: UInt64, readyAt: UInt64? = nil) -> [PoolAction] {
        var actions = enqueue(spec, waiter: waiter, now: now)
        if let instance = actions.startedInstances.last {
            childSpawned(spec.modelID, instance: instance, pid: Int32(1000 + instance))
            actions += childReady(spec.modelID, instance: instance, now: readyAt ?? now)
        }
        return actions
    }

    /// Reports the current child of `modelID` gone.
    mutating func exit(_ modelID: String, now: UInt64) -> [PoolAction] {
        childExited(modelID, instance: instance(modelID), exit: ChildExit(description: "exited with status 0", logTail: []), now: now)
    }

    /// Reports the current (starting) child of `modelID` ready.
    mutating func ready(_ modelID: String, now: UInt64) -> [PoolAction] {
        childSpawned(modelID, instance: instance(modelID), pid: Int32(1000 + instance(modelID)))
        return childReady(modelID, instance: instance(modelID), now: now)
    }

    func device(_ modelID: String) -> String? { models[modelID]?.device }

    /// Enqueues, and if that started a child, reports it spawned and ready at once.
    mutating func loadReady(
        _ modelID: String, waiter: Int, at milliseconds: UInt64, limit: Int = .max, lifetime: ModelLifetime = ModelLifetime()
    ) -> [PoolAction] {
        loadReady(.testing(modelID, limit: limit, lifetime: lifetime), waiter: waiter, at: milliseconds)
    }

    mutating func loadReady(_ spec: LaunchSpec, waiter: Int, at milliseconds: UInt64) -> [PoolAction] {
        let modelID = spec.modelID
        var actions = enqueue(spec, waiter: waiter, now: milliseconds * 1_000_000)
        if let instance = actions.startedInstances.last {
            childSpawned(modelID, instance: instance, pid: Int32(1000 + instance))
            actions += childReady(modelID, instance: instance, now: milliseconds * 1_000_000)
        }
        return actions
    }

    func state(_ modelID: String) -> ModelState? { models[modelID]?.state }
    func instance(_ modelID: String) -> Int { models[modelID]!.instance }

    /// The waiters in the model's queue, in order.
    func queued(_ modelID: String) -> [Int] { models[modelID]?.queue.map(\.id) ?? [] }

    /// Waiters of models that are not loaded, oldest first: they wait for room.
    var waitingForRoom: [Int] {
        models.values.filter { $0.state == .stopped || $0.state == .stopping }
            .flatMap(\.queue).sorted { $0.arrival < $1.arrival }.map(\.id)
    }
}

extension LaunchSpec {
    static func testing(
        _ modelID: String, arguments: [String] = [], limit: Int = .max, mebibytes: UInt64 = 0, configured: Bool = false,
        devices: [String] = [], priority: Int = 0, lifetime: ModelLifetime = ModelLifetime()
    ) -> LaunchSpec {
        LaunchSpec(
            modelID: modelID, executable: "/bin/llama-server", arguments: arguments, concurrencyLimit: limit,
            memoryBytes: mebibytes * PoolDevice.mebibyte, memoryIsConfigured: configured, devices: devices, priority: priority,
            lifetime: lifetime)
    }
}

extension PoolDevice {
    static func testing(_ name: String, mebibytes: UInt64) -> PoolDevice {
        PoolDevice(name: name, memoryBytes: mebibytes * PoolDevice.mebibyte)
    }
}

/// Seconds and milliseconds as scheduler time (nanoseconds).
func seconds(_ value: UInt64) -> UInt64 { value * 1_000_000_000 }
func milliseconds(_ value: UInt64) -> UInt64 { value * 1_000_000 }

extension Array where Element == PoolAction {
    var startedInstances: [Int] {
        compactMap { if case .start(_, let instance, _, _) = $0 { instance } else { nil } }
    }

    /// Started models with the device each was placed on.
    var starts: [String: String] {
        Dictionary(uniqueKeysWithValues: compactMap { if case .start(let spec, _, _, let device) = $0 { (spec.modelID, device) } else { nil } })
    }

    var startedModels: [String] {
        compactMap { if case .start(let spec, _, _, _) = $0 { spec.modelID } else { nil } }
    }

    var stoppedModels: [String] {
        compactMap { if case .stop(let modelID, _) = $0 { modelID } else { nil } }
    }

    var killedModels: [String] {
        compactMap { if case .kill(let modelID, _) = $0 { modelID } else { nil } }
    }

    var grants: [Int: ServerLease] {
        Dictionary(uniqueKeysWithValues: compactMap { if case .grant(let waiter, let lease) = $0 { (waiter, lease) } else { nil } })
    }

    var failures: [Int: PoolError] {
        Dictionary(uniqueKeysWithValues: compactMap { if case .fail(let waiter, let error) = $0 { (waiter, error) } else { nil } })
    }

    /// Queue timers armed, by waiter: their deadlines.
    var armedTimers: [Int: UInt64] {
        Dictionary(uniqueKeysWithValues: compactMap {
            if case .armQueueTimer(_, let waiter, let deadline) = $0 { (waiter, deadline) } else { nil }
        })
    }

    var cancelledTimers: [Int] {
        compactMap { if case .cancelQueueTimer(let waiter) = $0 { waiter } else { nil } }
    }

    /// Model timers armed: (kind, model, deadline), in order.
    var modelTimers: [(ModelTimer.Kind, String, UInt64)] {
        compactMap { if case .armModelTimer(let timer, let deadline) = $0 { (timer.kind, timer.modelID, deadline) } else { nil } }
    }

    var idleTimerDeadlines: [UInt64] { modelTimers.filter { $0.0 == .idle }.map(\.2) }
    var healthTimerDeadlines: [UInt64] { modelTimers.filter { $0.0 == .health }.map(\.2) }

    var probedModels: [String] {
        compactMap { if case .probeHealth(let modelID, _) = $0 { modelID } else { nil } }
    }

    var logLines: [String] {
        compactMap { if case .log(let line) = $0 { line } else { nil } }
    }
}

/// One second in the scheduler's nanoseconds, for the lifetime tests.
let second: UInt64 = 1_000_000_000

extension PoolScheduler {
    func pidOf(_ modelID: String) -> Int32 { models[modelID]!.pid! }
}

extension ModelLifetime {
    static func ttl(_ seconds: UInt64) -> ModelLifetime { ModelLifetime(idleTTL: seconds * second) }
}
