import ProxyConfig
import ProxyPool
import ProxyResolver
import Synchronization

/// The models the proxy knows right now: the resolver built from the configuration and the
/// latest listing of the models folder, plus each model's prebuilt launch spec (so the hot path
/// allocates no argument arrays). The folder is listed again when a name is not found or the
/// model list is asked for, at most once a second, and never on the caller's thread (an event
/// loop): the listing runs on a thread of its own, one at a time, and callers that arrive while
/// it runs wait for that one. A known name resolves at once, listing or not.
final class ModelCatalog: Sendable {
    struct Snapshot: Sendable {
        let resolver: ModelResolver
        let launches: [String: ModelLaunch]
        let listedAt: UInt64
    }

    typealias SnapshotWaiter = @Sendable (Snapshot) -> Void

    private struct State {
        var configuration: ProxyConfiguration
        var snapshot: Snapshot
        /// Bumped by each new configuration, so a listing started before it is not kept.
        var generation = 0
        /// Non-nil while a listing runs: who waits for it.
        var waiters: [SnapshotWaiter]?
    }

    private let state: Mutex<State>
    private let listFolder: @Sendable (String) -> FolderListing
    private let now: @Sendable () -> UInt64
    private let lister = BoundedExecutor(name: "lsp-models-dir", threads: 1, queueLimit: 1)

    init(configuration: ProxyConfiguration,
         listFolder: @escaping @Sendable (String) -> FolderListing = { FolderListing.read(path: $0) },
         now: @escaping @Sendable () -> UInt64) {
        self.listFolder = listFolder
        self.now = now
        let snapshot = Self.makeSnapshot(configuration, listFolder: listFolder, at: now())
        state = Mutex(State(configuration: configuration, snapshot: snapshot))
    }

    var snapshot: Snapshot { state.withLock { $0.snapshot } }

    /// Resolves `name`. A found name (or an unknown one while the listing is fresh) completes
    /// synchronously; otherwise `completion` runs on the listing thread once a fresh listing is in.
    func resolve(_ name: String, completion: @escaping @Sendable (Resolution, ModelLaunch?) -> Void) {
        let answer: @Sendable (Snapshot) -> Void = { snapshot in
            let resolution = snapshot.resolver.resolve(name)
            guard let model = resolution.model else { return completion(resolution, nil) }
            completion(resolution, snapshot.launches[model.id])
        }
        let current = snapshot
        if current.resolver.resolve(name).model != nil { return answer(current) }
        whenFresh(orNow: current, answer)
    }

    /// The model list for `/v1/models`, after a fresh listing when the last one is stale (on the
    /// listing thread then; synchronously otherwise).
    func withCurrentModels(_ body: @escaping @Sendable ([ResolvedModel]) -> Void) {
        whenFresh(orNow: snapshot) { body($0.resolver.models) }
    }

    /// Takes a new configuration (SIGHUP).
    func replaceConfiguration(_ configuration: ProxyConfiguration) {
        let snapshot = Self.makeSnapshot(configuration, listFolder: listFolder, at: now())
        state.withLock { state in
            state.configuration = configuration
            state.snapshot = snapshot
            state.generation += 1
        }
    }

    /// Calls `waiter` with `current` when no listing is due, else with the result of the listing
    /// in progress or of a new one.
    private func whenFresh(orNow current: Snapshot, _ waiter: @escaping SnapshotWaiter) {
        let time = now()
        enum Step { case answerNow(Snapshot), wait, list(ProxyConfiguration, generation: Int) }
        let step = state.withLock { state -> Step in
            if state.waiters != nil {
                state.waiters!.append(waiter)
                return .wait
            }
            guard state.configuration.modelsDir != nil, time &- state.snapshot.listedAt >= 1_000_000_000 else {
                return .answerNow(state.snapshot)
            }
            state.waiters = [waiter]
            return .list(state.configuration, generation: state.generation)
        }
        switch step {
        case .answerNow(let snapshot): waiter(snapshot)
        case .wait: break
        case .list(let configuration, let generation):
            let started = lister.submit { [self] in
                let fresh = Self.makeSnapshot(configuration, listFolder: listFolder, at: time)
                finishListing(fresh, generation: generation)
            }
            if !started { finishListing(current, generation: -1) }  // cannot happen: one listing at a time
        }
    }

    private func finishListing(_ fresh: Snapshot, generation: Int) {
        let (snapshot, waiters) = state.withLock { state -> (Snapshot, [SnapshotWaiter]) in
            if generation == state.generation { state.snapshot = fresh }
            let waiters = state.waiters ?? []
            state.waiters = nil
            return (state.snapshot, waiters)
        }
        for waiter in waiters { waiter(snapshot) }
    }

    private static func makeSnapshot(
        _ configuration: ProxyConfiguration, listFolder: (String) -> FolderListing, at time: UInt64
    ) -> Snapshot {
        let listing = configuration.modelsDir.map(listFolder)
        let resolver = ModelResolver(configured: configuration.models, listing: listing)
        let configured = Dictionary(configuration.models.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var launches: [String: ModelLaunch] = [:]
        for model in resolver.models {
            let own = model.origin == .configured ? configured[model.id] : nil
            var spec = LaunchSpec(model: model, configuration: configuration)
            if let command = own?.command { spec.run(command, for: model) }
            spec.stopSeconds = own?.stopSeconds
            spec.place(own, estimate: { [arguments = spec.arguments, command = spec.command] in
                // A command model's file (if it names one) is estimated for its own arguments.
                guard (command == nil || !model.ggufPath.isEmpty) && own?.remote == nil else { return 0 }
                return ModelMemoryFigure.bytes(for: model, arguments: arguments)
            })
            let queueMax = own?.queueMax ?? configuration.queueMax
            spec.queueLimit = queueMax > 0 ? queueMax : nil
            let notices = LoadingNotices(
                interval: configuration.loadingCommentSeconds > 0 ? configuration.loadingCommentSeconds : nil,
                asReasoning: own?.sendLoadingState ?? configuration.sendLoadingState)
            let variantChanges = own.map { own in
                Dictionary(own.variants.map { ($0.name, own.requestChanges(variant: $0.name)) }, uniquingKeysWith: { first, _ in first })
            } ?? [:]
            launches[model.id] = ModelLaunch(
                spec: spec, notices: notices, requestChanges: own?.requestChanges() ?? [], variantChanges: variantChanges,
                remote: own.flatMap { RemoteUpstream(configured: $0) }, agentCommand: own?.agent,
                responseHook: own?.responseHook)
        }
        return Snapshot(resolver: resolver, launches: launches, listedAt: time)
    }
}

extension LaunchSpec {
    /// llama-server's argv for a model: the file, its projector, the id as alias (so responses
    /// name the model as the client asked for it), then the global and per-model extra args.
    init(model: ResolvedModel, configuration: ProxyConfiguration) {
        var arguments = ["-m", model.ggufPath]
        if let projector = model.mmprojPath { arguments += ["--mmproj", projector] }
        arguments += ["--alias", model.id]
        arguments += configuration.defaultArgs
        arguments += model.extraArgs
        self.init(
            modelID: model.id, executable: configuration.llamaServer, arguments: arguments,
            lifetime: ModelLifetime(model: model, configuration: configuration))
        rpcServers = RPCServers.endpoints(in: arguments)
    }

    /// Where the model may run, what it needs there (its `memory_mib`, else `estimate`), and its
    /// priority; a discovered model (no entry) may go anywhere with the estimate.
    mutating func place(_ configured: ConfiguredModel?, estimate: () -> UInt64) {
        if let mebibytes = configured?.memoryMiB {
            memoryBytes = UInt64(mebibytes) * PoolDevice.mebibyte
            memoryIsConfigured = true
        } else {
            memoryBytes = estimate()
        }
        devices = configured?.devices ?? []
        priority = configured?.priority ?? 0
        replicas = configured?.replicas ?? 1
    }
}
