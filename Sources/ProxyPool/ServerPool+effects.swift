import Endpoints
import ProxyTime

extension ServerPool {
    /// A scheduler action bound to its completion closure or child process, ready to run
    /// once the lock is released (completions and signals never run under the lock).
    enum Effect: Sendable {
        case complete(Completion, Result<ServerLease, PoolError>)
        case launch(ChildProcess)
        case terminate(ChildProcess)
        case kill(ChildProcess)
        case log(String)
        case record(PoolMetric)
        case probeHealth(ChildProcess, modelID: String)
        case saveSlots(ChildProcess, modelID: String, key: SlotCacheKey)
        case restoreSlots(ChildProcess, modelID: String, files: [SlotCacheLedger.File])
        case deleteSlotFiles([SlotCacheLedger.File])
        case sampleGPU(nvidiaIndex: Int, instance: Int)
        case watchGPURelease(nvidiaIndex: Int, modelID: String, instance: Int, bytes: UInt64, deadline: UInt64)
    }

    /// Runs under the lock. Timers are set and cancelled here (TimerThread only takes its own
    /// short lock), so a timer is never left behind for a waiter that was already served.
    func resolve(_ actions: [PoolAction], in state: inout State) -> [Effect] {
        let effects = actions.compactMap { action -> Effect? in
            switch action {
            case .grant(let waiter, let lease):
                cancelQueueTimer(waiter, in: &state)
                return state.completions.removeValue(forKey: waiter).map { .complete($0, .success(lease)) }
            case .fail(let waiter, let error):
                cancelQueueTimer(waiter, in: &state)
                return state.completions.removeValue(forKey: waiter).map { .complete($0, .failure(error)) }
            case .armQueueTimer(let modelID, let waiter, let deadline):
                cancelQueueTimer(waiter, in: &state)
                state.queueTimers[waiter] = TimerThread.shared.schedule(at: deadline) { [weak self] in
                    self?.queueTimerFired(modelID, waiter: waiter)
                }
                return nil
            case .cancelQueueTimer(let waiter):
                cancelQueueTimer(waiter, in: &state)
                return nil
            case .start(let spec, let instance, var endpoint, let device):
                if case .tcp = endpoint {  // a `${PORT}` command: bind, getsockname, close; never blocks
                    endpoint = state.scheduler.assignPort(LoopbackPort.free() ?? 0, to: spec.modelID, instance: instance) ?? endpoint
                }
                let child = makeChild(spec, instance: instance, endpoint: endpoint, device: device)
                state.children[instance] = child
                return .launch(child)
            case .stop(_, let instance):
                return state.children[instance].map { .terminate($0) }
            case .kill(_, let instance):
                return state.children[instance].map { .kill($0) }
            case .log(let line):
                return .log(line)
            case .record(let metric):
                return .record(metric)
            case .armModelTimer(let timer, let deadline):
                // Never cancelled: the scheduler ignores a timer that has nothing left to do.
                _ = TimerThread.shared.schedule(at: deadline) { [weak self] in
                    self?.modelTimerFired(timer, deadline: deadline)
                }
                return nil
            case .probeHealth(let modelID, let instance):
                return state.children[instance].map { .probeHealth($0, modelID: modelID) }
            case .saveSlots(let modelID, let instance):
                guard let child = state.children[instance], let key = state.scheduler.models[modelID]?.cacheKey else {
                    return nil
                }
                return .saveSlots(child, modelID: modelID, key: key)
            case .restoreSlots(let modelID, let instance, let files):
                return state.children[instance].map { .restoreSlots($0, modelID: modelID, files: files) }
            case .deleteSlotFiles(let files):
                return .deleteSlotFiles(files)
            case .sampleGPUMemory(let index, let instance):
                return .sampleGPU(nvidiaIndex: index, instance: instance)
            case .watchGPURelease(let index, let modelID, let instance, let bytes, let deadline):
                return .watchGPURelease(nvidiaIndex: index, modelID: modelID, instance: instance, bytes: bytes, deadline: deadline)
            }
        }
        publishChanges(in: &state)
        return effects
    }

    private func cancelQueueTimer(_ waiter: Int, in state: inout State) {
        if let token = state.queueTimers.removeValue(forKey: waiter) { TimerThread.shared.cancel(token) }
    }

    func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .complete(let completion, let result): completion(result)
            case .launch(let child): child.launch()
            case .terminate(let child): child.terminate()
            case .kill(let child): child.kill()
            case .log(let line): log(line)
            case .record(let metric): record(metric)
            case .probeHealth(let child, let modelID): runHealthProbe(child, modelID: modelID)
            case .saveSlots(let child, let modelID, let key): runSlotSave(child, modelID: modelID, key: key)
            case .restoreSlots(let child, let modelID, let files): runSlotRestore(child, modelID: modelID, files: files)
            case .deleteSlotFiles(let files): deleteSlotFiles(files)
            case .sampleGPU(let index, let instance): gpuWatcher.sample(index: index, instance: instance)
            case .watchGPURelease(let index, let modelID, let instance, let bytes, let deadline):
                gpuWatcher.watch(index: index, modelID: modelID, instance: instance, bytes: bytes, deadline: deadline) { [weak self] in
                    self?.gpuReleased(instance: instance)
                }
            }
        }
    }

    /// A device's `--rpc` comes after the model's, so it wins; a command gets neither.
    public static func rpcServers(of spec: LaunchSpec, on device: PoolDevice) -> [UpstreamEndpoint] {
        guard spec.command == nil else { return [] }
        return device.rpcServers.isEmpty ? spec.rpcServers : device.rpcServers
    }

    private func makeChild(_ spec: LaunchSpec, instance: Int, endpoint: UpstreamEndpoint, device name: String) -> ChildProcess {
        let device = configuration.devices.first { $0.name == name } ?? .unlimited
        let settings = ChildProcess.Settings(
            loadTimeout: configuration.loadTimeout, stopTimeout: configuration.stopTimeout,
            probe: spec.command.map { HealthProbe(path: $0.readyPath) } ?? probe,
            environment: device.environment, extraArguments: device.arguments,
            measureResidentMemory: device.measureResidentMemory, slotCacheRoot: configuration.slotCacheRoot,
            memoryReader: memoryReader?(), rpcServers: Self.rpcServers(of: spec, on: device),
            rpcConnectTimeout: configuration.rpcConnectTimeout)
        let modelID = spec.modelID
        let childLog = self.childLog
        return ChildProcess(
            spec: spec, instance: instance, endpoint: endpoint, settings: settings,
            output: { childLog(.lines(modelID: modelID, $0)) }
        ) { [weak self] event in
            self?.childReported(event, modelID: modelID, instance: instance)
        }
    }
}
