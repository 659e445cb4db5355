import ProxyTime

/// Health checks of loaded children. Every `healthCheckInterval` a ready child is asked for
/// `/health`, but only while it is idle: a llama-server that is generating may answer slowly,
/// and one that serves requests is alive. A check counts as failed only if the child stayed
/// idle throughout (no request granted or finished meanwhile); `healthCheckFailures` failures in
/// a row get it killed (`reason=unhealthy`), and the next request starts it afresh.
extension PoolScheduler {
    /// Arms the child's next check (nothing when checks are off).
    func nextHealthCheck(_ modelID: String, instance: Int, now: UInt64) -> [PoolAction] {
        guard let interval = configuration.healthCheckInterval.nanosecondsIfLimited else { return [] }
        return [.armModelTimer(ModelTimer(kind: .health, modelID: modelID, instance: instance), deadline: now &+ interval)]
    }

    /// The health timer fired: probe an idle child, or look again later at a busy one.
    mutating func healthCheckDue(_ modelID: String, instance: Int, now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance), model.state == .ready,
              model.lifetimeState.probeStartedAt == nil
        else { return [] }
        guard model.inFlight == 0 else {
            models[modelID]!.lifetimeState.healthFailures = 0  // it is answering requests
            return nextHealthCheck(modelID, instance: instance, now: now)
        }
        models[modelID]!.lifetimeState.probeStartedAt = now
        return [.probeHealth(modelID: modelID, instance: instance)]
    }

    /// A probe's answer. A request granted or finished while it ran proves the child alive.
    mutating func healthProbed(_ modelID: String, instance: Int, healthy: Bool, now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance), model.state == .ready,
              let started = model.lifetimeState.probeStartedAt
        else { return [] }
        models[modelID]!.lifetimeState.probeStartedAt = nil
        if healthy || model.inFlight > 0 || model.lastUsed >= started {
            models[modelID]!.lifetimeState.healthFailures = 0
            return nextHealthCheck(modelID, instance: instance, now: now)
        }
        let failures = model.lifetimeState.healthFailures + 1
        let limit = configuration.healthCheckFailures
        models[modelID]!.lifetimeState.healthFailures = failures
        guard failures >= limit else {
            return [.log("health check failed model=\(modelID) pid=\(Self.pid(model)) (\(failures) of \(limit) in a row)")]
                + nextHealthCheck(modelID, instance: instance, now: now)
        }
        models[modelID]!.state = .stopping
        models[modelID]!.stopReason = .unhealthy
        models[modelID]!.stopRequestedAt = now
        return [
            .log("model=\(modelID) pid=\(Self.pid(model)) failed \(failures) health checks in a row: killing it"),
            .kill(modelID: modelID, instance: instance),
        ]
    }
}
