/// What a model needs, where it may go, and what a running child was measured to hold.
extension PoolScheduler {
    /// The figure a start of `spec` is placed by: the operator's `memory_mib`, else what a child
    /// of this very spec was measured to hold, else the estimate.
    func memoryNeed(of model: Model, spec: LaunchSpec) -> UInt64 {
        if !spec.memoryIsConfigured, let measured = model.measured, measured.spec == spec { return measured.bytes }
        return spec.memoryBytes
    }

    /// The devices `spec` may use, in its order of preference (the configuration's order when it
    /// names none). Names the pool does not have are left out.
    func allowedDevices(for spec: LaunchSpec) -> [PoolDevice] {
        guard !spec.devices.isEmpty else { return configuration.devices }
        return spec.devices.compactMap { name in configuration.devices.first { $0.name == name } }
    }

    func tooLargeError(_ modelID: String, need: UInt64, allowed: [PoolDevice], spec: LaunchSpec) -> PoolError {
        let figure = spec.memoryIsConfigured ? "memory_mib" : (memoryNeed(of: models[modelID]!, spec: spec) == spec.memoryBytes ? "estimate" : "measured")
        let message: String
        if allowed.isEmpty {
            message = "model '\(modelID)' may only run on device(s) \(spec.devices.joined(separator: ", ")), which this proxy does not have"
                + " (devices change with a restart)"
        } else {
            let budgets = allowed.map { "\($0.name) \(PoolDevice.mebibytes($0.memoryBytes)) MiB" }.joined(separator: ", ")
            message = "model '\(modelID)' needs \(PoolDevice.mebibytes(need)) MiB (\(figure)), more than any device it may use has: \(budgets)"
        }
        return PoolError(kind: .tooLarge, modelID: modelID, message: message)
    }

    /// A child's memory was measured (its resident memory once ready): from now on the model is
    /// placed by that figure, this child and the next start of the same spec, unless the
    /// operator gave `memory_mib`.
    mutating func childMeasured(_ modelID: String, instance: Int, bytes: UInt64, now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance), model.state == .starting || model.state == .ready else { return [] }
        models[modelID]!.measured = MeasuredMemory(spec: model.spec, bytes: bytes)
        var line = "measure model=\(modelID) pid=\(Self.pid(model)) resident \(PoolDevice.mebibytes(bytes)) MiB"
        if model.spec.memoryIsConfigured {
            line += "; placed by its memory_mib, \(PoolDevice.mebibytes(model.spec.memoryBytes)) MiB"
        } else {
            line += " (estimate \(PoolDevice.mebibytes(model.spec.memoryBytes)) MiB)"
            models[modelID]!.placedBytes = bytes
        }
        return [.log(line)] + place(now: now)
    }
}
