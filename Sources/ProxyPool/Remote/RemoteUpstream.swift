import Endpoints

/// A model served by servers the pool does not run (on other hosts): where they are, how they
/// are checked. The pool never starts, stops, evicts or places such a model.
public struct RemoteUpstream: Sendable, Hashable {
    public var modelID: String
    public var servers: [HostPort]
    /// GET until 200 for the health check; nil: a connection that is accepted is healthy.
    public var healthPath: String?
    /// Seconds between a server's health checks.
    public var healthInterval: Double
    /// The `Authorization` value the servers get (the health check included); never logged.
    public var authorization: String?

    public init(modelID: String, servers: [HostPort], healthPath: String? = "/health", healthInterval: Double = 10,
                authorization: String? = nil) {
        self.modelID = modelID
        self.servers = servers
        self.healthPath = healthPath
        self.healthInterval = healthInterval
        self.authorization = authorization
    }
}
