@testable import ProxyPool

/// Builders for driving `PoolScheduler` by hand: no processes, times in plain milliseconds.
extension PoolScheduler {
    static func testing(maxLoaded: Int = 2, queueTimeout: Double = 600) -> PoolScheduler {
        PoolScheduler(
            configuration: PoolConfiguration(maxLoaded: maxLoaded, queueTimeout: queueTimeout, runtimeDirectory: "/run/p"))
    }

    /// Enqueues, and if that started a child, reports it spawned and ready at once.
    mutating func loadReady(_ modelID: String, waiter: Int, at milliseconds: UInt64) -> [PoolAction] {
        var actions = enqueue(.testing(modelID), waiter: waiter, now: milliseconds * 1_000_000)
        if let instance = actions.startedInstances.last {
            childSpawned(modelID, instance: instance, pid: Int32(1000 + instance))
            actions += childReady(modelID, instance: instance, now: milliseconds * 1_000_000)
        }
        return actions
    }

    func state(_ modelID: String) -> ModelState? { models[modelID]?.state }
    func instance(_ modelID: String) -> Int { models[modelID]!.instance }
}

extension LaunchSpec {
    static func testing(_ modelID: String, arguments: [String] = []) -> LaunchSpec {
        LaunchSpec(modelID: modelID, executable: "/bin/llama-server", arguments: arguments)
    }
}

extension Array where Element == PoolAction {
    var startedInstances: [Int] {
        compactMap { if case .start(_, let instance, _) = $0 { instance } else { nil } }
    }

    var startedModels: [String] {
        compactMap { if case .start(let spec, _, _) = $0 { spec.modelID } else { nil } }
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

    var logLines: [String] {
        compactMap { if case .log(let line) = $0 { line } else { nil } }
    }
}
