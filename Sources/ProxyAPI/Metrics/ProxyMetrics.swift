import ProxyHTTP
import ProxyPool
import Synchronization

/// Every counter and histogram of the proxy. The request path writes to the shard of the event
/// loop it runs on, without a lock (the shard is loop-confined); a scrape visits each loop to
/// copy its shard and sums the copies. Life-cycle events (pool, agents, plugins) are rare and
/// come from other threads: they share one lock.
final class ProxyMetrics: Sendable {
    private let shards: [LoopShard]
    /// For a request recorded off every loop (none is today; kept so nothing is ever lost).
    private let offLoop = Mutex(RequestMetrics())
    private let lifecycle = Mutex(LifecycleMetrics())

    init(loops: [EventLoop]) {
        shards = loops.map(LoopShard.init)
    }

    /// On the loop that answered, when it is one of ours.
    func recordRequest(_ update: (inout RequestMetrics) -> Void) {
        if let shard = shards.first(where: { $0.loop.inLoop }) {
            update(&shard.values)
        } else {
            offLoop.withLock { update(&$0) }
        }
    }

    func record(_ metric: PoolMetric) {
        lifecycle.withLock { $0.record(metric) }
    }

    /// `outcome`: continue, patch, reply, fail, invalid_patch, timeout, busy.
    func recordAgentCall(command: String, outcome: String) {
        lifecycle.withLock { $0.agentCalls[LifecycleMetrics.ModelLabel(model: command, label: outcome), default: 0] &+= 1 }
    }

    /// `outcome`: answered, not_shown, failed, timeout, rounds_exceeded, client_gone, unavailable.
    func recordHookExchange(hook: String, outcome: String) {
        lifecycle.withLock { $0.hookExchanges[LifecycleMetrics.ModelLabel(model: hook, label: outcome), default: 0] &+= 1 }
    }

    /// `result`: ok, partial (some file skipped), failed (nothing loaded and something was wrong).
    func recordPluginReload(result: String) {
        lifecycle.withLock { $0.pluginReloads[result, default: 0] &+= 1 }
    }

    var lifecycleSnapshot: LifecycleMetrics { lifecycle.withLock { $0 } }

    /// Copies each loop's shard on its loop, then calls `completion` (on the last loop visited,
    /// or at once when there are none) with their sum.
    func gatherRequests(_ completion: @escaping @Sendable (RequestMetrics) -> Void) {
        let gathering = Gathering(remaining: shards.count, start: offLoop.withLock { $0 }, completion: completion)
        guard !shards.isEmpty else {
            completion(gathering.sum.withLock { $0.merged })
            return
        }
        for shard in shards {
            shard.loop.executeSoon { gathering.add(shard.values) }
        }
    }
}

/// One loop's request metrics; touched only on that loop.
private final class LoopShard: @unchecked Sendable {
    let loop: EventLoop
    var values = RequestMetrics()
    init(loop: EventLoop) { self.loop = loop }
}

private final class Gathering: Sendable {
    let sum: Mutex<(remaining: Int, merged: RequestMetrics)>
    let completion: @Sendable (RequestMetrics) -> Void

    init(remaining: Int, start: RequestMetrics, completion: @escaping @Sendable (RequestMetrics) -> Void) {
        sum = Mutex((remaining, start))
        self.completion = completion
    }

    func add(_ values: RequestMetrics) {
        let done: RequestMetrics? = sum.withLock { state in
            state.merged.merge(values)
            state.remaining -= 1
            return state.remaining == 0 ? state.merged : nil
        }
        if let done { completion(done) }
    }
}
