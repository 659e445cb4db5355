import ProxyTime

extension ServerPool {
    /// Starts `spec`'s model now if that needs no room (see `PoolScheduler.preload`); a model that
    /// cannot be preloaded, or fails to load, is logged. Returns at once. Every replica of a
    /// model with replicas is preloaded, in order, as far as there is room.
    public func preload(_ spec: LaunchSpec) {
        perform(state.withLock { state in
            let actions = (1...spec.replicas).flatMap { state.scheduler.preload(spec.replica($0), now: MonotonicClock.now()) }
            return resolve(actions, in: &state)
        })
    }

    /// An idle TTL, health-check, slot-cache or swap-hold timer fired (on the timer thread).
    func modelTimerFired(_ timer: ModelTimer, deadline: UInt64) {
        perform(state.withLock { state in
            let now = MonotonicClock.now()
            let actions = switch timer.kind {
            case .idle: state.scheduler.idleTimerFired(timer.modelID, instance: timer.instance, deadline: deadline, now: now)
            case .health: state.scheduler.healthCheckDue(timer.modelID, instance: timer.instance, now: now)
            case .slotCache: state.scheduler.slotTimerFired(timer.modelID, instance: timer.instance, now: now)
            case .swapHold: state.scheduler.holdTimerFired(timer.modelID, now: now)
            case .gpuRelease: state.scheduler.gpuReleaseTimedOut(instance: timer.instance, now: now)
            }
            return resolve(actions, in: &state)
        })
    }

    /// nvidia-smi showed an exited child's GPU memory released (from the watcher's thread).
    func gpuReleased(instance: Int) {
        perform(state.withLock { state in
            resolve(state.scheduler.gpuReleased(instance: instance, now: MonotonicClock.now()), in: &state)
        })
    }

    /// The probe blocks (up to the health-check timeout), so it runs on a thread of its own,
    /// never on the timer thread or an event loop.
    func runHealthProbe(_ child: ChildProcess, modelID: String) {
        let probe = child.spec.command.map { HealthProbe(timeout: configuration.healthCheckTimeout, path: $0.readyPath) } ?? healthProbe
        DedicatedThread.start(name: "lsp-health") { [weak self] in
            let healthy = probe.isReady(child.endpoint)
            self?.healthProbed(modelID, instance: child.instance, healthy: healthy)
        }
    }

    private func healthProbed(_ modelID: String, instance: Int, healthy: Bool) {
        perform(state.withLock { state in
            resolve(state.scheduler.healthProbed(modelID, instance: instance, healthy: healthy, now: MonotonicClock.now()), in: &state)
        })
    }
}
