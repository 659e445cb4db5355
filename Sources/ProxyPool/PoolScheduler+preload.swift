/// Preloading at start: a model is started with nobody waiting for it, if that needs no room (a
/// free slot under `max_loaded`, a device where it fits now, no group rule that would unload a
/// loaded model) and it is not in its restart backoff. Otherwise it is skipped with a log line;
/// nothing is ever evicted for a preload. A failed preload is logged like any failed load.
extension PoolScheduler {
    mutating func preload(_ spec: LaunchSpec, now: UInt64) -> [PoolAction] {
        guard !isShuttingDown else { return [] }
        ensureRecord(for: spec)
        guard models[spec.modelID]!.state == .stopped else { return [] }  // loading or loaded already
        if let skipped = preloadRefusal(spec, now: now) { return [.log("preload skipped model=\(spec.modelID): \(skipped)")] }
        return [.log("preload model=\(spec.modelID)")] + startWithoutWaiters(spec, now: now)
    }

    /// Why `spec`'s model cannot start now without making room (nil: it can).
    func preloadRefusal(_ spec: LaunchSpec, now: UInt64) -> String? {
        let model = models[spec.modelID] ?? Model(
            spec: spec, state: .stopped, instance: 0, endpoint: .unixSocket(path: ""), lastUsed: 0,
            backoff: RestartBackoff(maximum: nil))
        let ledger = makeLedger()
        let need = memoryNeed(of: model, spec: spec)
        if model.backoff.blocks(spec, now: now) {
            return "it is in its restart backoff"
        } else if !ledger.children.fitsNow(1) {
            return "max_loaded (\(capacity)) models are loaded"
        } else if bestDevice(allowedDevices(for: spec), need: need, ledger: ledger, where: { $0.fitsNow(need) }) == nil {
            return "no device has \(PoolDevice.mebibytes(need)) MiB free for it now"
        } else if case let conflicts = groupConflicts(for: spec), !conflicts.isEmpty {
            return "its group would unload \(conflicts.joined(separator: ", "))"
        }
        return nil
    }

    /// Starts the (stopped, recorded) model on the device where it fits best now; call only when
    /// `preloadRefusal` found no reason against it.
    mutating func startWithoutWaiters(_ spec: LaunchSpec, now: UInt64) -> [PoolAction] {
        let need = memoryNeed(of: models[spec.modelID]!, spec: spec)
        let ledger = makeLedger()
        guard let device = bestDevice(allowedDevices(for: spec), need: need, ledger: ledger, where: { $0.fitsNow(need) }) else { return [] }
        return start(spec.modelID, spec: spec, on: device, bytes: need, now: now)
    }
}
