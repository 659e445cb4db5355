/// Preloading at start: a model is started with nobody waiting for it, if that needs no room (a
/// free slot under `max_loaded`, a device where it fits now, no group rule that would unload a
/// loaded model) and it is not in its restart backoff. Otherwise it is skipped with a log line;
/// nothing is ever evicted for a preload. A failed preload is logged like any failed load.
extension PoolScheduler {
    mutating func preload(_ spec: LaunchSpec, now: UInt64) -> [PoolAction] {
        guard !isShuttingDown else { return [] }
        let modelID = spec.modelID
        ensureRecord(for: spec)
        let model = models[modelID]!
        guard model.state == .stopped else { return [] }  // loading or loaded already
        let ledger = makeLedger()
        let need = memoryNeed(of: model, spec: spec)
        let device = bestDevice(allowedDevices(for: spec), need: need, ledger: ledger, where: { $0.fitsNow(need) })
        let skipped: String?
        if model.backoff.blocks(spec, now: now) {
            skipped = "it is in its restart backoff"
        } else if !ledger.children.fitsNow(1) {
            skipped = "max_loaded (\(capacity)) models are loaded"
        } else if device == nil {
            skipped = "no device has \(PoolDevice.mebibytes(need)) MiB free for it now"
        } else if case let conflicts = groupConflicts(for: spec), !conflicts.isEmpty {
            skipped = "its group would unload \(conflicts.joined(separator: ", "))"
        } else {
            skipped = nil
        }
        guard skipped == nil, let device else { return [.log("preload skipped model=\(modelID): \(skipped!)")] }
        return [.log("preload model=\(modelID)")] + start(modelID, spec: spec, on: device, bytes: need, now: now)
    }
}
