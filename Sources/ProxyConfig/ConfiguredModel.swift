/// A model named in `config.json`'s `models` section.
public struct ConfiguredModel: Sendable, Equatable {
    public var id: String
    /// Absolute path of the GGUF file.
    public var path: String
    /// Extra llama-server arguments for this model, after `default_args`.
    public var args: [String]
    /// Other names clients may request this model by.
    public var aliases: [String]
    /// Seconds the model stays loaded once idle (0: for ever); nil: the top-level `ttl_seconds`.
    public var ttlSeconds: Double?
    /// Never unloaded to make room, by a group or by its TTL.
    public var pinned: Bool

    public init(
        id: String, path: String, args: [String] = [], aliases: [String] = [], ttlSeconds: Double? = nil,
        pinned: Bool = false
    ) {
        self.id = id
        self.path = path
        self.args = args
        self.aliases = aliases
        self.ttlSeconds = ttlSeconds
        self.pinned = pinned
    }
}
