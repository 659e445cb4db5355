import ProxyTime
/// What the process layer reports about a child. Each event names the instance it is about;
/// one about a child that is no longer current (a late "ready" from a child that already
/// died, say) changes nothing.
extension PoolScheduler {
    mutating func childSpawned(_ modelID: String, instance: Int, pid: Int32) {
        guard current(modelID, instance: instance) != nil else { return }
        models[modelID]!.pid = pid
    }

    mutating func childReady(_ modelID: String, instance: Int, now: UInt64) -> [PoolAction] {
        guard var model = current(modelID, instance: instance), model.state == .starting else { return [] }
        model.state = .ready
        model.readyAt = now
        model.lastUsed = now
        model.inFlight += model.loadWaiters.count
        var actions: [PoolAction] = [
            .log("load model=\(modelID) pid=\(Self.pid(model)) ready in \(MonotonicClock.milliseconds(from: model.startedAt, to: now)) ms")
        ]
        actions += model.loadWaiters.map { .grant(waiter: $0, lease(for: model)) }
        model.loadWaiters = []
        models[modelID] = model
        return actions + place(now: now)
    }

    /// The child is up but not healthy in time: fail its waiters now, kill it, and keep the
    /// slot until it is gone.
    mutating func loadTimedOut(_ modelID: String, instance: Int, logTail: [String], now: UInt64) -> [PoolAction] {
        guard var model = current(modelID, instance: instance), model.state == .starting else { return [] }
        let reason = "not ready within \(Self.seconds(configuration.loadTimeout)) s"
        let error = PoolError(
            kind: .loadTimeout, modelID: modelID, message: "llama-server for model '\(modelID)' was \(reason)",
            logTail: logTail)
        var actions = loadFailure(model, reason: reason, error: error, now: now)
        model.state = .stopping
        model.stopReason = .loadTimeout
        model.stopRequestedAt = now
        model.loadWaiters = []
        models[modelID] = model
        actions.append(.kill(modelID: modelID, instance: instance))
        return actions
    }

    /// The child is gone (and reaped): its slot is free again, whatever state it was in.
    mutating func childExited(_ modelID: String, instance: Int, exit: ChildExit, now: UInt64) -> [PoolAction] {
        guard var model = current(modelID, instance: instance), model.state != .stopped else { return [] }
        let pid = Self.pid(model)
        var actions: [PoolAction]
        switch model.state {
        case .starting:
            let error = PoolError(
                kind: .startFailed, modelID: modelID,
                message: "llama-server for model '\(modelID)' failed to start: \(exit.description)", logTail: exit.logTail)
            actions = loadFailure(model, reason: exit.description, error: error, now: now)
        case .ready:
            let uptime = MonotonicClock.milliseconds(from: model.readyAt, to: now)
            actions = [.log("unload model=\(modelID) pid=\(pid) reason=exit (\(exit.description)) after \(uptime) ms loaded")]
        default:
            let took = MonotonicClock.milliseconds(from: model.stopRequestedAt, to: now)
            let reason = model.stopReason?.rawValue ?? "exit"
            actions = [.log("unload model=\(modelID) pid=\(pid) reason=\(reason) after \(took) ms")]
        }
        model.state = .stopped
        model.pid = nil
        model.inFlight = 0
        model.loadWaiters = []
        model.stopReason = nil
        models[modelID] = model
        return actions + place(now: now)
    }

    private func loadFailure(_ model: Model, reason: String, error: PoolError, now: UInt64) -> [PoolAction] {
        let took = MonotonicClock.milliseconds(from: model.startedAt, to: now)
        let lastLine = error.logTail.last.map { "; last output: \($0)" } ?? ""
        let line = "load failed model=\(model.spec.modelID) pid=\(Self.pid(model)) after \(took) ms: \(reason)\(lastLine)"
        return [.log(line)] + model.loadWaiters.map { .fail(waiter: $0, error) }
    }

    static func pid(_ model: Model) -> String {
        model.pid.map(String.init) ?? "-"
    }
}
