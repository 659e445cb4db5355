/// What a model needs, where it may go, and what a running child was measured to hold or
/// reported it allocated.
extension PoolScheduler {
    /// The figure a start of `spec` is placed by: the operator's `memory_mib`, else the larger of
    /// what a child of this very spec was measured to hold (resident memory) and what it reported
    /// it allocated, else the estimate.
    func memoryNeed(of model: Model, spec: LaunchSpec) -> UInt64 {
        guard !spec.memoryIsConfigured, let observed = observedBytes(of: model, spec: spec) else { return spec.memoryBytes }
        return observed
    }

    /// The larger of the measurement and the report of children of `spec` (nil: neither).
    func observedBytes(of model: Model, spec: LaunchSpec) -> UInt64? {
        let measured = model.measured.flatMap { $0.spec == spec ? $0.bytes : nil }
        let reported = model.reported.flatMap { $0.spec == spec ? $0.bytes : nil }
        guard let measured else { return reported }
        return max(measured, reported ?? 0)
    }

    /// Which figure `memoryNeed` took, for messages.
    func memoryFigureName(of model: Model, spec: LaunchSpec) -> String {
        if spec.memoryIsConfigured { return "memory_mib" }
        guard let observed = observedBytes(of: model, spec: spec) else { return "estimate" }
        return model.measured?.spec == spec && model.measured?.bytes == observed ? "measured" : "reported"
    }

    /// The devices `spec` may use, in its order of preference (the configuration's order when it
    /// names none). Names the pool does not have are left out.
    func allowedDevices(for spec: LaunchSpec) -> [PoolDevice] {
        guard !spec.devices.isEmpty else { return configuration.devices }
        return spec.devices.compactMap { name in configuration.devices.first { $0.name == name } }
    }

    func tooLargeError(_ modelID: String, need: UInt64, allowed: [PoolDevice], spec: LaunchSpec) -> PoolError {
        let figure = memoryFigureName(of: models[modelID]!, spec: spec)
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
    /// placed by the larger of that figure and its report (this child and the next start of the
    /// same spec), unless the operator gave `memory_mib`.
    mutating func childMeasured(_ modelID: String, instance: Int, bytes: UInt64, now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance), model.state == .starting || model.state == .ready else { return [] }
        models[modelID]!.measured = MeasuredMemory(spec: model.spec, bytes: bytes)
        return observed(modelID, "measure model=\(modelID) pid=\(Self.pid(model)) resident \(PoolDevice.mebibytes(bytes)) MiB", now: now)
    }

    /// A child said what it allocated (llama-server's buffer lines or breakdown table, while it
    /// loads): placed by the larger of that and its measurement from now on, like `childMeasured`.
    mutating func childReported(_ modelID: String, instance: Int, bytes: UInt64, now: UInt64) -> [PoolAction] {
        guard let model = current(modelID, instance: instance), model.state == .starting || model.state == .ready else { return [] }
        models[modelID]!.reported = MeasuredMemory(spec: model.spec, bytes: bytes)
        return observed(modelID, "report model=\(modelID) pid=\(Self.pid(model)) allocated \(PoolDevice.mebibytes(bytes)) MiB", now: now)
    }

    /// The current child is placed by what was observed of it, unless the operator gave `memory_mib`.
    private mutating func observed(_ modelID: String, _ line: String, now: UInt64) -> [PoolAction] {
        let model = models[modelID]!
        var line = line
        if model.spec.memoryIsConfigured {
            line += "; placed by its memory_mib, \(PoolDevice.mebibytes(model.spec.memoryBytes)) MiB"
        } else {
            let need = memoryNeed(of: model, spec: model.spec)
            line += " (estimate \(PoolDevice.mebibytes(model.spec.memoryBytes)) MiB; placed by \(PoolDevice.mebibytes(need)) MiB)"
            models[modelID]!.placedBytes = need
        }
        return [.log(line)] + place(now: now)
    }
}
