/// Everything `config.json` says, validated, with every path made absolute.
public struct ProxyConfiguration: Sendable, Equatable {
    public static let defaultQueueMax = 1000
    public static let defaultLoadingCommentSeconds = 5.0

    public var host: String
    public var port: Int
    /// Absolute path of the llama-server binary.
    public var llamaServer: String
    /// Absolute path of the folder scanned for models, if any.
    public var modelsDir: String?
    /// How many llama-server processes may run at once.
    public var maxLoaded: Int
    /// Requests that may wait in one model's queue (a model's own `queue_max` overrides it);
    /// 0 means no limit.
    public var queueMax: Int
    /// Seconds a streaming request waits for its model's load before its event stream starts
    /// with `: loading ...` comments, and between them; 0 means never.
    public var loadingCommentSeconds: Double
    /// Whether streaming chat requests see the load as `reasoning_content` deltas instead of
    /// comments (a model's own `send_loading_state` overrides it).
    public var sendLoadingState: Bool
    /// llama-server arguments for every model.
    public var defaultArgs: [String]
    /// Configured models, sorted by id.
    public var models: [ConfiguredModel]
    public var timeouts: Timeouts
    public var limits: Limits
    public var logRequests: Bool
    /// Absolute path of the folder scanned for agent plugins (`.so` files), if any.
    public var pluginsDir: String?
    /// Each plugin's own configuration section, by plugin name, as compact JSON text.
    public var pluginConfig: [String: String]
    /// Keys clients and operators must send; empty means access control is off.
    public var apiKeys: APIKeys
    /// Origins allowed by CORS: `[]` none (no CORS headers, the default), `["*"]` any.
    public var corsOrigins: [String]
    /// Where models may run, in the configured order; nil: one device, host memory (its
    /// budget is found at start).
    public var devices: [Device]?
    public var scheduling: Scheduling
    /// Seconds a model stays loaded once idle, unless its own `ttl_seconds` says otherwise; 0: for ever.
    public var ttlSeconds: Double
    /// Models started when the proxy starts (as far as `max_loaded` allows).
    public var preload: [String]
    /// Sets of models that run together or exclude each other.
    public var groups: [ModelGroup]
    /// Other Llama Smart Proxies whose models this one serves too (`peers`).
    public var peers: [Peer] = []
    /// What asks an NVIDIA device's used memory (`nvidia_smi`): a name looked up on PATH when the
    /// proxy runs it, or an absolute path.
    public var nvidiaSMI = ProxyConfiguration.defaultNvidiaSMI
    /// Where the proxy writes its pid once it listens (`pid_file`, `--pid-file`); nil: nowhere.
    public var pidFile: String?
    /// Log the request body each agent sends on to a model, patched or rewritten
    /// (`log_patched_requests`), for debugging plugins; off by default.
    public var logPatchedRequests = false
    public static let defaultNvidiaSMI = "nvidia-smi"

    public init(
        llamaServer: String, host: String = "127.0.0.1", port: Int = 8080, modelsDir: String? = nil,
        maxLoaded: Int = 2, queueMax: Int = ProxyConfiguration.defaultQueueMax,
        loadingCommentSeconds: Double = ProxyConfiguration.defaultLoadingCommentSeconds, sendLoadingState: Bool = false,
        defaultArgs: [String] = [], models: [ConfiguredModel] = [],
        timeouts: Timeouts = Timeouts(), limits: Limits = Limits(), logRequests: Bool = true,
        pluginsDir: String? = nil, pluginConfig: [String: String] = [:],
        apiKeys: APIKeys = APIKeys(), corsOrigins: [String] = [], devices: [Device]? = nil,
        scheduling: Scheduling = Scheduling(), ttlSeconds: Double = 0, preload: [String] = [], groups: [ModelGroup] = []
    ) {
        self.host = host
        self.port = port
        self.llamaServer = llamaServer
        self.modelsDir = modelsDir
        self.maxLoaded = maxLoaded
        self.queueMax = queueMax
        self.loadingCommentSeconds = loadingCommentSeconds
        self.sendLoadingState = sendLoadingState
        self.defaultArgs = defaultArgs
        self.models = models.sorted { $0.id < $1.id }
        self.timeouts = timeouts
        self.limits = limits
        self.logRequests = logRequests
        self.pluginsDir = pluginsDir
        self.pluginConfig = pluginConfig
        self.apiKeys = apiKeys
        self.corsOrigins = corsOrigins
        self.devices = devices
        self.scheduling = scheduling
        self.ttlSeconds = ttlSeconds
        self.preload = preload
        self.groups = groups
    }
}
