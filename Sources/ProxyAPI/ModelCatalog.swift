import ProxyConfig
import ProxyPool
import ProxyResolver
import Synchronization

/// The models the proxy knows right now: the resolver built from the configuration and the
/// latest listing of the models folder, plus each model's prebuilt launch spec (so the hot path
/// allocates no argument arrays). The folder is listed again when a name is not found or the
/// model list is asked for, at most once a second.
final class ModelCatalog: Sendable {
    struct Snapshot: Sendable {
        let resolver: ModelResolver
        let launches: [String: ModelLaunch]
        let listedAt: UInt64
    }

    private let state: Mutex<(configuration: ProxyConfiguration, snapshot: Snapshot)>
    private let listFolder: @Sendable (String) -> FolderListing
    private let now: @Sendable () -> UInt64

    init(configuration: ProxyConfiguration,
         listFolder: @escaping @Sendable (String) -> FolderListing = { FolderListing.read(path: $0) },
         now: @escaping @Sendable () -> UInt64) {
        self.listFolder = listFolder
        self.now = now
        let snapshot = Self.makeSnapshot(configuration, listFolder: listFolder, at: now())
        state = Mutex((configuration, snapshot))
    }

    var snapshot: Snapshot { state.withLock { $0.snapshot } }

    /// Resolves `name`, listing the folder again first if it is unknown and the listing is stale.
    func resolve(_ name: String) -> (Resolution, ModelLaunch?) {
        var current = snapshot
        var resolution = current.resolver.resolve(name)
        if case .found = resolution {} else if let fresh = refreshIfStale() {
            current = fresh
            resolution = current.resolver.resolve(name)
        }
        guard case .found(let model) = resolution else { return (resolution, nil) }
        return (resolution, current.launches[model.id])
    }

    /// A fresh listing for `/v1/models` (rate-limited).
    func currentModels() -> [ResolvedModel] {
        (refreshIfStale() ?? snapshot).resolver.models
    }

    /// Takes a new configuration (SIGHUP).
    func replaceConfiguration(_ configuration: ProxyConfiguration) {
        let snapshot = Self.makeSnapshot(configuration, listFolder: listFolder, at: now())
        state.withLock { $0 = (configuration, snapshot) }
    }

    private func refreshIfStale() -> Snapshot? {
        let time = now()
        let configuration: ProxyConfiguration? = state.withLock {
            time &- $0.snapshot.listedAt >= 1_000_000_000 ? $0.configuration : nil
        }
        guard let configuration, configuration.modelsDir != nil else { return nil }
        let fresh = Self.makeSnapshot(configuration, listFolder: listFolder, at: time)
        state.withLock { $0.snapshot = fresh }
        return fresh
    }

    private static func makeSnapshot(
        _ configuration: ProxyConfiguration, listFolder: (String) -> FolderListing, at time: UInt64
    ) -> Snapshot {
        let listing = configuration.modelsDir.map(listFolder)
        let resolver = ModelResolver(configured: configuration.models, listing: listing)
        var launches: [String: ModelLaunch] = [:]
        for model in resolver.models {
            launches[model.id] = ModelLaunch(spec: LaunchSpec(model: model, configuration: configuration))
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
        self.init(modelID: model.id, executable: configuration.llamaServer, arguments: arguments)
    }
}
