import ProxyTime

/// NVIDIA memory is not free when the process that held it is reaped: the driver may release it
/// later (llama-swap #97). So the room a child held on a device with an `nvidiaIndex` stays
/// *releasing* after its exit: counted as used now and free later (a model waiting for it
/// reserves it and waits, nothing is evicted for it), until nvidia-smi shows the GPU's used
/// memory dropped by three quarters of the child's figure from what it showed while the child
/// ran (`gpuReleased`), or `gpuReleaseTimeout` passed (`gpuReleaseTimedOut`; 0: no wait).
extension PoolScheduler {
    /// Room a child held on an NVIDIA device, not yet seen released.
    struct GPURelease: Sendable, Equatable {
        var modelID: String
        var instance: Int
        var device: String
        var nvidiaIndex: Int
        var bytes: UInt64
        var since: UInt64
    }

    /// Of `releaseFraction` of a child's figure, a drop counts as its release (most of it: the
    /// figure is an estimate or a report, and the driver keeps a little per context).
    static let releaseFraction = 0.75

    func nvidiaIndex(of device: String?) -> Int? {
        guard let device else { return nil }
        return configuration.devices.first { $0.name == device }?.nvidiaIndex
    }

    /// A sample of the GPU's used memory while the model's child holds memory there (when it
    /// became ready, when its stop is asked for), to measure its release from.
    func sampleGPU(_ modelID: String) -> [PoolAction] {
        guard configuration.gpuReleaseTimeout > 0, let model = models[modelID], let index = nvidiaIndex(of: model.device) else {
            return []
        }
        return [.sampleGPUMemory(nvidiaIndex: index, instance: model.instance)]
    }

    /// The child of `model` exited: its room on an NVIDIA device starts releasing.
    mutating func beginGPURelease(_ model: Model, now: UInt64) -> [PoolAction] {
        guard configuration.gpuReleaseTimeout > 0, !isShuttingDown, model.placedBytes > 0,
              let device = model.device, let index = nvidiaIndex(of: device)
        else { return [] }
        let release = GPURelease(
            modelID: model.spec.modelID, instance: model.instance, device: device, nvidiaIndex: index, bytes: model.placedBytes,
            since: now)
        gpuReleases.append(release)
        let deadline = now + UInt64(configuration.gpuReleaseTimeout * 1e9)
        return [
            .log("gpu release model=\(release.modelID) on \(device): waiting for nvidia-smi -i \(index) to show"
                + " \(PoolDevice.mebibytes(release.bytes)) MiB freed (at most \(Self.seconds(configuration.gpuReleaseTimeout)) s)"),
            .watchGPURelease(nvidiaIndex: index, modelID: release.modelID, instance: release.instance, bytes: release.bytes, deadline: deadline),
            .armModelTimer(ModelTimer(kind: .gpuRelease, modelID: release.modelID, instance: release.instance), deadline: deadline),
        ]
    }

    /// nvidia-smi showed the child's memory released: the room is free.
    mutating func gpuReleased(instance: Int, now: UInt64) -> [PoolAction] {
        guard let release = takeGPURelease(instance: instance) else { return [] }
        let took = MonotonicClock.milliseconds(from: release.since, to: now)
        return [.log("gpu release model=\(release.modelID) on \(release.device): freed after \(took) ms")] + place(now: now)
    }

    /// nvidia-smi did not show the release in time: the room counts as free anyway.
    mutating func gpuReleaseTimedOut(instance: Int, now: UInt64) -> [PoolAction] {
        guard let release = takeGPURelease(instance: instance) else { return [] }
        let line = "gpu release model=\(release.modelID) on \(release.device): nvidia-smi -i \(release.nvidiaIndex) did not show"
            + " \(PoolDevice.mebibytes(release.bytes)) MiB freed within \(Self.seconds(configuration.gpuReleaseTimeout)) s;"
            + " counting it free"
        return [.log(line)] + place(now: now)
    }

    private mutating func takeGPURelease(instance: Int) -> GPURelease? {
        guard let index = gpuReleases.firstIndex(where: { $0.instance == instance }) else { return nil }
        return gpuReleases.remove(at: index)
    }
}
