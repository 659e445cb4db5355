import HTTPCodec
import ProxyHTTP
import ProxyJSON
import ProxyPool
import ProxyResolver

/// `GET /v1/models` in OpenAI's shape, plus each model's state in the pool (with its requests in
/// flight and queued), its aliases and variant ids, its memory (the estimate, the measurement, the report,
/// the figure it is placed by, and its device) and its lifetime: pinned, TTL, group, and when an
/// idle loaded model will be unloaded.
struct ModelsEndpoint: Sendable {
    let catalog: ModelCatalog
    let pool: ServerPool
    let remotes: RemotePool
    let peers: PeerDirectory
    let created: Int

    /// The listing of the models folder may run first, off the loop; the answer is sent from the
    /// loop. `withPeers`: the peers' models that are not this proxy's own follow its own.
    func list(withPeers: Bool = true, responder: HTTPResponder) {
        catalog.withCurrentModels { [self] models in
            onLoop(of: responder) { [self] in
                let statuses = pool.statuses()
                let remoteStatuses = remotes.statuses()
                let clock = WallClock.now()
                let launches = catalog.snapshot.launches
                let data = models.map { model in
                    remoteStatuses[model.id].map { Self.remoteEntry(model, servers: $0, created: created) }
                        ?? entry(model, statuses: statuses, spec: launches[model.id]?.spec, clock: clock)
                }
                let peerData = withPeers ? Self.peerEntries(peers.statuses(), except: Set(models.map(\.id)), created: created) : []
                respond(.object([("object", .string("list")), ("data", .array(data + peerData))]), responder: responder)
            }
        }
    }

    func show(id: String, responder: HTTPResponder) {
        catalog.withCurrentModels { [self] models in
            onLoop(of: responder) { [self] in
                guard let model = models.first(where: { $0.id == id }) else {
                    let own = Set(models.map(\.id))
                    if let peerEntry = Self.peerEntries(peers.statuses(), except: own, only: id, created: created).first {
                        respond(peerEntry, responder: responder)
                        return
                    }
                    OpenAIError(status: 404, message: "model '\(id)' not found", type: "invalid_request_error", code: "model_not_found")
                        .send(to: responder)
                    return
                }
                let shown = remotes.statuses()[model.id].map { Self.remoteEntry(model, servers: $0, created: created) }
                    ?? entry(model, statuses: pool.statuses(), spec: catalog.snapshot.launches[model.id]?.spec, clock: .now())
                respond(shown, responder: responder)
            }
        }
    }

    private func onLoop(of responder: HTTPResponder, _ work: @escaping @Sendable () -> Void) {
        if responder.loop.inLoop { work() } else { responder.loop.execute(work) }
    }

    /// `statuses`: the pool's, by model id (a replica n > 1 under `<id>#n`); the entry's own
    /// figures are its first replica's.
    private func entry(_ model: ResolvedModel, statuses: [String: ModelStatus], spec: LaunchSpec?, clock: WallClock) -> JSONValue {
        let status = statuses[model.id]
        let estimate = spec?.memoryBytes ?? 0
        let placedBy = Self.placedBy(status, estimate: estimate)
        let members: [(String, JSONValue)] = [
            ("id", .string(model.id)),
            ("object", .string("model")),
            ("owned_by", .string("llama-smart-proxy")),
            ("created", .int(created)),
            ("state", .string(Self.stateName(status?.state ?? .stopped))),
            ("in_flight", .int(status?.inFlight ?? 0)),
            ("queued", .int(status?.queued ?? 0)),
            ("aliases", .array(model.aliases.map { .string($0) })),
            ("variants", .array(model.variants.map { .string("\(model.id):\($0)") })),
            ("source", .string(model.origin == .configured ? "config" : "models_dir")),
            ("device", status?.device.map { .string($0) } ?? .null),
            ("devices", .array((spec?.devices.isEmpty ?? true ? pool.devices.map(\.name) : spec!.devices).map { .string($0) })),
            ("memory_mib", .int(Self.mebibytes(placedBy))),
            ("memory_estimate_mib", .int(Self.mebibytes(estimate))),
            ("memory_configured", .bool(spec?.memoryIsConfigured ?? false)),
            ("memory_measured_mib", status?.measuredBytes.map { .int(Self.mebibytes($0)) } ?? .null),
            ("memory_reported_mib", status?.reportedBytes.map { .int(Self.mebibytes($0)) } ?? .null),
            ("rpc_servers", Self.rpcServers(spec, device: status?.device, devices: pool.devices)),
            ("replicas", .int(spec?.replicas ?? 1)),
            ("replica_states", .array(Self.replicaStates(spec, statuses: statuses))),
        ]
        return .object(members + Self.lifetimeMembers(spec?.lifetime ?? ModelLifetime(), status: status, clock: clock))
    }

    /// The figure a model is placed by: its child's, else what its next start needs (the estimate
    /// until a child was measured or reported).
    static func placedBy(_ status: ModelStatus?, estimate: UInt64) -> UInt64 {
        guard let status, status.state != .stopped || status.measuredBytes != nil || status.reportedBytes != nil else { return estimate }
        return status.memoryBytes
    }

    /// Each replica's state, requests and device, for a model with replicas (empty otherwise).
    static func replicaStates(_ spec: LaunchSpec?, statuses: [String: ModelStatus]) -> [JSONValue] {
        guard let spec, spec.replicas > 1 else { return [] }
        return (1...spec.replicas).map { number in
            let status = statuses[spec.replica(number).modelID]
            return .object([
                ("replica", .int(number)),
                ("state", .string(stateName(status?.state ?? .stopped))),
                ("in_flight", .int(status?.inFlight ?? 0)),
                ("queued", .int(status?.queued ?? 0)),
                ("device", status?.device.map { .string($0) } ?? .null),
            ])
        }
    }

    /// The llama.cpp RPC servers its child uses (or will): its device's `--rpc`, else its own.
    static func rpcServers(_ spec: LaunchSpec?, device: String?, devices: [PoolDevice]) -> JSONValue {
        guard let spec else { return .array([]) }
        let only = spec.devices.count == 1 ? spec.devices[0] : devices.count == 1 ? devices[0].name : nil
        let onDevice = devices.first { $0.name == (device ?? only) }
        let servers = ServerPool.rpcServers(of: spec, on: onDevice ?? .unlimited)  // a device with no --rpc of its own
        return .array(servers.map { .string($0.description) })
    }

    static func mebibytes(_ bytes: UInt64) -> Int {
        Int(clamping: PoolDevice.mebibytes(bytes))
    }

    static func stateName(_ state: ModelState) -> String {
        switch state {
        case .stopped: "unloaded"
        case .starting: "loading"
        case .ready: "ready"
        case .stopping: "unloading"
        }
    }

    private func respond(_ value: JSONValue, responder: HTTPResponder) {
        responder.respond(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: value.serialized())
    }
}
