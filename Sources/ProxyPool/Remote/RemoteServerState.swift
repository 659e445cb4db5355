import Endpoints
/// What the scheduler knows of one server of a remote model.
public enum RemoteHealth: Sendable, Hashable {
    /// Not checked yet: requests may go to it (once its name is resolved).
    case unchecked
    case up
    /// Refused a connection or failed its health check; skipped until a check passes.
    case down
}

/// One server's state, as `/v1/models` shows it.
public struct RemoteServerStatus: Sendable, Hashable {
    public var server: HostPort
    public var health: RemoteHealth
    public var inFlight: Int
}

/// Where a request to a remote model goes; hand it back with `RemotePool.release` or
/// `RemotePool.releaseUnreachable`.
public struct RemoteLease: Sendable, Hashable {
    public var modelID: String
    /// Which server of the model (unique for the life of the process).
    public var serverID: UInt64
    public var server: HostPort
    /// What to connect to: the server's address as last resolved (numeric).
    public var endpoint: UpstreamEndpoint
}

struct RemoteServerState: Sendable {
    let id: UInt64
    let server: HostPort
    var health = RemoteHealth.unchecked
    var inFlight = 0
    /// The numeric address its host resolved to; nil until it resolves.
    var resolvedHost: String?
    var probing = false
    /// Why it is down, for the log.
    var downReason: String?

    var isEligible: Bool { health != .down && resolvedHost != nil }
}
