/// A model named in `config.json`'s `models` section.
public struct ConfiguredModel: Sendable, Equatable {
    public var id: String
    /// Absolute path of the GGUF file; empty for a `cmd` model given no `path`.
    public var path: String
    /// Extra llama-server arguments for this model, after `default_args`.
    public var args: [String]
    /// Other names clients may request this model by.
    public var aliases: [String]
    /// Devices the model may be placed on, in order of preference; empty: any device.
    public var devices: [String]
    /// The operator's figure for the model's memory need, which replaces the estimate.
    public var memoryMiB: Int?
    /// Among models waiting for room, higher priority is loaded first.
    public var priority: Int
    /// Children of this model that may run at once (`replicas`), each placed like a model of its own.
    public var replicas: Int = 1
    /// This model's `queue_max` (0: no limit); nil takes the top-level one.
    public var queueMax: Int?
    /// This model's `send_loading_state`; nil takes the top-level one.
    public var sendLoadingState: Bool?
    /// Seconds the model stays loaded once idle (0: for ever); nil: the top-level `ttl_seconds`.
    public var ttlSeconds: Double?
    /// Never unloaded to make room, by a group or by its TTL.
    public var pinned: Bool
    /// Another server to run instead of llama-server (`cmd` and its keys).
    public var command: ModelCommand?
    /// Seconds between the stop (signal or `stop_cmd`) and SIGKILL; nil: `timeouts.stop_seconds`.
    public var stopSeconds: Double?
    /// What is set on, removed from and renamed in each request to it.
    public var filters: RequestFilters
    /// Its variant ids (`id:name`), each setting members on the request.
    public var variants: [ModelVariant]
    /// Servers on other hosts that serve it (`url`/`urls`); the proxy then runs nothing for it.
    public var remote: ModelRemote?
    /// The command (without its slash) of the agent every client request to it goes to first.
    public var agent: String?
    /// The response hook every answer to a client request to it goes through.
    public var responseHook: String?

    public init(
        id: String, path: String, args: [String] = [], aliases: [String] = [], devices: [String] = [],
        memoryMiB: Int? = nil, priority: Int = 0, queueMax: Int? = nil, sendLoadingState: Bool? = nil,
        ttlSeconds: Double? = nil, pinned: Bool = false, command: ModelCommand? = nil, stopSeconds: Double? = nil,
        filters: RequestFilters = RequestFilters(), variants: [ModelVariant] = [], remote: ModelRemote? = nil
    ) {
        self.remote = remote
        self.command = command
        self.stopSeconds = stopSeconds
        self.id = id
        self.path = path
        self.args = args
        self.aliases = aliases
        self.devices = devices
        self.memoryMiB = memoryMiB
        self.priority = priority
        self.queueMax = queueMax
        self.sendLoadingState = sendLoadingState
        self.ttlSeconds = ttlSeconds
        self.pinned = pinned
        self.filters = filters
        self.variants = variants
    }
}
