extension PoolScheduler {
    /// The per-request fast path: one hash lookup, no allocation.
    mutating func acquireIfReady(_ modelID: String) -> ServerLease? {
        guard let index = models.index(forKey: modelID), models.values[index].state == .ready else { return nil }
        models.values[index].inFlight += 1
        return lease(for: models.values[index])
    }

    /// An acquire that the fast path could not serve: join a load, start one, or queue.
    mutating func enqueue(_ spec: LaunchSpec, waiter: Int, now: UInt64) -> [PoolAction] {
        if isShuttingDown {
            return [.fail(waiter: waiter, shuttingDownError(spec.modelID))]
        }
        pending.append(Waiter(id: waiter, spec: spec))
        return place(now: now)
    }

    mutating func release(_ lease: ServerLease, now: UInt64) -> [PoolAction] {
        // A lease on a child that died (or was replaced) no longer counts anywhere.
        guard let index = models.index(forKey: lease.modelID),
              models.values[index].instance == lease.instance,
              models.values[index].inFlight > 0
        else { return [] }
        models.values[index].inFlight -= 1
        models.values[index].lastUsed = now
        return pending.isEmpty ? [] : place(now: now)
    }

    /// Only acquires still waiting for a slot time out here; one that joined a load is bounded
    /// by the load timeout instead.
    mutating func queueTimedOut(waiter: Int) -> [PoolAction] {
        guard let index = pending.firstIndex(where: { $0.id == waiter }) else { return [] }
        let modelID = pending.remove(at: index).spec.modelID
        let seconds = Self.seconds(configuration.queueTimeout)
        let message = "no free slot for model '\(modelID)' within \(seconds) s: all \(capacity) loaded model(s) are busy"
        return [.fail(waiter: waiter, PoolError(kind: .queueTimeout, modelID: modelID, message: message))]
    }

    func shuttingDownError(_ modelID: String) -> PoolError {
        PoolError(kind: .shuttingDown, modelID: modelID, message: "the proxy is shutting down")
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
