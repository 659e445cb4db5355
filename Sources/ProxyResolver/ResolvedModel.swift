/// Where a model became known from.
public enum ModelOrigin: Sendable, Equatable {
    /// Named in `config.json`'s `models` section.
    case configured
    /// Found by scanning `models_dir`.
    case discovered
}

/// A model the proxy can start: everything needed to launch llama-server for it.
public struct ResolvedModel: Sendable, Equatable {
    public var id: String
    /// Absolute path of the GGUF file to pass as `--model` (the first shard of a split model).
    public var ggufPath: String
    /// Absolute path of the multimodal projector to pass as `--mmproj`, if there is one.
    public var mmprojPath: String?
    /// The model's own llama-server arguments (the configuration's `default_args` are not included).
    public var extraArgs: [String]
    /// Other names that resolve to this model.
    public var aliases: [String]
    public var origin: ModelOrigin
    /// Names of its variants: `id:name` (or `alias:name`) requests this model with the variant's members set.
    public var variants: [String]

    public init(
        id: String, ggufPath: String, mmprojPath: String? = nil, extraArgs: [String] = [], aliases: [String] = [],
        origin: ModelOrigin, variants: [String] = []
    ) {
        self.id = id
        self.ggufPath = ggufPath
        self.mmprojPath = mmprojPath
        self.extraArgs = extraArgs
        self.aliases = aliases
        self.origin = origin
        self.variants = variants
    }
}
