import ProxyConfig

/// Knows every model the proxy can serve and turns a requested name into one of them. Requested
/// names are only ever compared with known ids and aliases, never used as paths.
public struct ModelResolver: Sendable {
    /// Every known model, sorted by id.
    public let models: [ResolvedModel]
    /// Problems met while scanning the models folder, worth logging at startup.
    public let discoveryWarnings: [String]

    /// Configured models come first: a discovered model whose id is taken by a configured id or
    /// alias is hidden, and one whose file is already configured becomes an alias of that entry.
    public init(configured: [ConfiguredModel], listing: FolderListing?) {
        var models = configured.map { model in
            ResolvedModel(id: model.id, ggufPath: model.path, extraArgs: model.args, aliases: model.aliases, origin: .configured,
                          variants: model.variants.map(\.name))
        }
        let discovery = listing.map(ModelDiscovery.discover) ?? ModelDiscovery.Result(models: [], warnings: [])
        var takenNames = Set(models.flatMap { [$0.id] + $0.aliases })
        for found in discovery.models where !takenNames.contains(found.id) {
            takenNames.insert(found.id)
            if let index = models.firstIndex(where: { $0.origin == .configured && $0.ggufPath == found.ggufPath }) {
                models[index].aliases.append(found.id)
            } else {
                models.append(found)
            }
        }
        self.models = models.sorted { $0.id < $1.id }
        self.discoveryWarnings = discovery.warnings
    }
}
