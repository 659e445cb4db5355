import Endpoints
/// Another Llama Smart Proxy, as the peer scheduler takes it.
public struct PeerUpstream: Sendable, Hashable {
    public var name: String
    public var server: HostPort
    /// The `Authorization` value the peer gets (its listing included); never logged.
    public var authorization: String?
    /// Seconds between two readings of its model list.
    public var checkInterval: Double

    public init(name: String, server: HostPort, authorization: String? = nil, checkInterval: Double = 5) {
        self.name = name
        self.server = server
        self.authorization = authorization
        self.checkInterval = checkInterval
    }
}

/// One model in a peer's own `/v1/models`.
public struct PeerModel: Sendable, Hashable {
    public var id: String
    public var aliases: [String]
    /// The peer's word for it: `ready`, `loading`, `unloaded`, `unloading`, `unavailable`.
    public var state: String
    public var inFlight: Int

    public init(id: String, aliases: [String] = [], state: String, inFlight: Int = 0) {
        self.id = id
        self.aliases = aliases
        self.state = state
        self.inFlight = inFlight
    }
}

/// A peer as `/v1/models` shows it.
public struct PeerStatus: Sendable, Hashable {
    public var name: String
    public var server: HostPort
    public var health: RemoteHealth
    /// Requests this proxy has in flight to it.
    public var inFlight: Int
    /// Its models as last read (empty while down).
    public var models: [PeerModel]
}
