import Endpoints
extension PoolScheduler {
    /// Serves whatever queued acquires can be served now. Models that wait for room go in the
    /// order of `modelsWaitingForRoom` (see PoolScheduler+collation.swift); each is started on the
    /// device where it fits best, or waits for children already stopping, or has idle models
    /// evicted for it (chosen by `EvictionPolicy`). A model that cannot get room now does not
    /// hold up those after it, unless it has waited past the starvation bound: then the models
    /// in its way drain (take no new requests) and nothing after it is placed. Then free slots
    /// on ready models go to their queues. A model in its restart backoff fails its waiters at
    /// once; one that can never fit fails them with the numbers.
    mutating func place(now: UInt64) -> [PoolAction] {
        guard !isShuttingDown else { return [] }
        clearDrains()
        guard queuedTotal > 0 else {
            drainPlan = nil
            return []
        }
        var actions: [PoolAction] = []
        var drained = false
        // The common case, requests queued for slots on ready models only, allocates nothing here.
        if models.values.contains(where: { !$0.queue.isEmpty && ($0.state == .stopped || $0.state == .stopping) }) {
            var ledger = makeLedger()
            var groupWaits: [LaunchSpec] = []
            for modelID in modelsWaitingForRoom(now: now) {
                // Group rules first (+groups): a member waits while the models they exclude go.
                guard passesGroupRules(modelID, waits: &groupWaits, now: now, actions: &actions) else { continue }
                guard !placeOne(modelID, ledger: &ledger, now: now, actions: &actions) else { continue }
                if isStarving(modelID, now: now) {
                    drain(for: modelID, ledger: &ledger, now: now, actions: &actions)
                    drained = true
                    break
                }
            }
        }
        if !drained { drainPlan = nil }
        var withFreeSlots: [String] = []
        for (modelID, model) in models where model.state == .ready && model.hasFreeSlot && !model.refusesRequests && !model.queue.isEmpty {
            withFreeSlots.append(modelID)
        }
        for modelID in withFreeSlots {
            actions += serveQueue(of: modelID)
        }
        return actions
    }

    /// Grants free slots of a ready model to its queue, in order (not while it drains).
    mutating func serveQueue(of modelID: String) -> [PoolAction] {
        var actions: [PoolAction] = []
        while let model = models[modelID], model.state == .ready, model.hasFreeSlot, !model.refusesRequests, !model.queue.isEmpty {
            let waiter = takeFirstWaiter(of: modelID)
            models[modelID]!.inFlight += 1
            actions.append(.grant(waiter: waiter.id, lease(for: model)))
        }
        return actions
    }

    /// Places one model that waits for room; false when it must wait for a release.
    private mutating func placeOne(
        _ modelID: String, ledger: inout PlacementLedger, now: UInt64, actions: inout [PoolAction]
    ) -> Bool {
        let model = models[modelID]!
        let spec = model.queue.last!.spec  // the newest request carries the newest configuration
        if model.state == .stopped && model.backoff.blocks(spec, now: now) {
            let error = model.backoff.refusal(modelID: modelID, now: now)
            actions += takeQueue(of: modelID).map { .fail(waiter: $0.id, error) }
            return true
        }
        let need = memoryNeed(of: model, spec: spec)
        let allowed = allowedDevices(for: spec)
        guard allowed.contains(where: { $0.memoryBytes >= need }) else {
            let error = tooLargeError(modelID, need: need, allowed: allowed, spec: spec)
            actions += takeQueue(of: modelID).map { .fail(waiter: $0.id, error) }
            return true
        }
        if model.state == .stopped, ledger.children.fitsNow(1),
           let device = bestDevice(allowed, need: need, ledger: ledger, where: { $0.fitsNow(need) }) {
            ledger.start(need, on: device)
            actions += start(modelID, spec: spec, on: device, bytes: need, now: now)
            return true
        }
        if ledger.children.fitsLater(1),
           let device = bestDevice(allowed, need: need, ledger: ledger, where: { $0.fitsLater(need) }) {
            ledger.reserve(need, on: device)  // stops under way make the room
            return true
        }
        let waitingSince = model.queue[0].enqueuedAt
        guard let (device, victims) = chooseEvictable(
            for: spec, need: need, on: allowed, ledger: ledger, waitingSince: waitingSince, now: now)
        else {
            actions += armHoldTimer(for: modelID, spec: spec, waitingSince: waitingSince, now: now)
            return false
        }
        for victim in victims {
            ledger.stop(models[victim]!.placedBytes, on: models[victim]!.device ?? device)
            actions += evict(victim, for: modelID, need: need, device: device, now: now)
        }
        ledger.reserve(need, on: device)
        return true
    }

    /// The device among `allowed` (in preference order) that passes `fits` with the least room
    /// left over: big holes stay for big models.
    func bestDevice(
        _ allowed: [PoolDevice], need: UInt64, ledger: PlacementLedger, where fits: (PlacementLedger.Account) -> Bool
    ) -> String? {
        var best: (left: UInt64, name: String)?
        for device in allowed {
            guard let account = ledger.accounts[device.name], fits(account) else { continue }
            let left = account.freeLater - need
            if best == nil || left < best!.left { best = (left, device.name) }
        }
        return best?.name
    }

    /// The cheapest set of models, among those `among` admits, whose stop makes room for `need`
    /// on one of `allowed` (and a child slot, when `maxLoaded` is full): the device, the set.
    func chooseVictims(
        for need: UInt64, on allowed: [PoolDevice], ledger: PlacementLedger, now: UInt64, among admits: (Model) -> Bool
    ) -> (device: String, victims: [String])? {
        let eligible = models.values.filter { $0.state == .ready && admits($0) }
        let needsSlot = !ledger.children.fitsLater(1)
        var best: (cost: Double, count: Int, device: String, victims: [String])?
        for device in allowed where device.memoryBytes >= need {
            guard let account = ledger.accounts[device.name] else { continue }
            let deficit = need > account.freeLater ? need - account.freeLater : 0
            guard var victims = EvictionPolicy.choose(
                eligible.filter { $0.device == device.name }.map(Self.candidate), freeing: deficit, now: now)
            else { continue }
            if needsSlot && victims.isEmpty {
                guard let any = EvictionPolicy.cheapest(eligible.map(Self.candidate), now: now) else { continue }
                victims = [any]
            }
            let cost = victims.reduce(0.0) { $0 + EvictionPolicy.cost($1, now: now) }
            if let current = best, (current.cost, current.count) <= (cost, victims.count) { continue }
            best = (cost, victims.count, device.name, victims.map(\.modelID))
        }
        return best.map { ($0.device, $0.victims) }
    }

    static func candidate(_ model: Model) -> EvictionPolicy.Candidate {
        EvictionPolicy.Candidate(
            modelID: model.spec.modelID, bytes: model.placedBytes, loadNanoseconds: model.lastLoadDuration,
            lastUsed: model.lastUsed)
    }

    func makeLedger() -> PlacementLedger {
        var ledger = PlacementLedger(devices: configuration.devices, capacity: capacity)
        for model in models.values where model.state != .stopped {
            ledger.hold(model.placedBytes, on: model.device ?? "", stopping: model.state == .stopping)
        }
        for release in gpuReleases {
            ledger.holdReleasing(release.bytes, on: release.device)
        }
        return ledger
    }

    /// Starts the model's child; every acquire in its queue waits for this one load.
    mutating func start(_ modelID: String, spec: LaunchSpec, on device: String, bytes: UInt64, now: UInt64) -> [PoolAction] {
        let instance = nextInstance
        nextInstance += 1
        var model = models[modelID]!
        model.spec = spec
        model.state = .starting
        model.instance = instance
        // A `${PORT}` command's port is picked by the pool when it starts the child (`assignPort`).
        model.endpoint = spec.command?.listening == .tcpPort
            ? .tcp(host: LoopbackPort.host, port: 0)
            : .unixSocket(path: SocketPath.make(directory: configuration.runtimeDirectory, modelID: modelID, instance: instance))
        model.pid = nil
        model.inFlight = 0
        model.startedAt = now
        model.readyAt = 0
        model.stopReason = nil
        model.device = device
        model.placedBytes = bytes
        model.hasClaim = false
        model.cacheKey = nil
        model.slotPhase = .none
        model.isUnloading = false
        model.starts += 1
        models[modelID] = model
        return [.start(spec: spec, instance: instance, endpoint: model.endpoint, device: device)]
            + pauseQueueClocks(of: modelID, now: now)
    }

    /// The TCP port the pool picked for a starting `${PORT}` command (0: none was free); returns
    /// the endpoint the child listens on, which leases on it name.
    mutating func assignPort(_ port: Int, to modelID: String, instance: Int) -> UpstreamEndpoint? {
        guard var model = models[modelID], model.instance == instance, case .tcp(let host, _) = model.endpoint else { return nil }
        model.endpoint = .tcp(host: host, port: port)
        models[modelID] = model
        return model.endpoint
    }

    mutating func evict(_ victim: String, for modelID: String, need: UInt64, device: String, now: UInt64) -> [PoolAction] {
        let model = models[victim]!
        let stop = stopChild(victim, reason: .evicted, now: now)
        models[victim]!.isDraining = false
        models[victim]!.roomLostAt = now
        models[modelID]!.hasClaim = true
        let line = "evict model=\(victim) pid=\(Self.pid(model)) on \(model.device ?? device) (\(PoolDevice.mebibytes(model.placedBytes)) MiB)"
            + " for model=\(modelID) (\(PoolDevice.mebibytes(need)) MiB on \(device))"
        return [.log(line)] + stop
    }
}
