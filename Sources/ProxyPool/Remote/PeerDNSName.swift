import Endpoints
/// A `peers` entry named by DNS (a Kubernetes headless Service, say): every address its name
/// resolves to is one peer, `<name>@<address>`, found again every `resolveInterval`.
public struct PeerDNSName: Sendable, Hashable {
    /// The entry's name in the configuration.
    public var name: String
    /// The DNS name, resolved off the event loops.
    public var host: String
    /// Every address's port.
    public var port: Int
    /// What each of its peers gets (see `PeerUpstream`).
    public var authorization: String?
    public var checkInterval: Double
    /// Seconds between two resolutions of `host`.
    public var resolveInterval: Double

    public init(name: String, host: String, port: Int, authorization: String? = nil, checkInterval: Double = 5, resolveInterval: Double = 30) {
        self.name = name
        self.host = host
        self.port = port
        self.authorization = authorization
        self.checkInterval = checkInterval
        self.resolveInterval = resolveInterval
    }

    /// The peer at one of its addresses.
    public func peer(at address: String) -> PeerUpstream {
        PeerUpstream(name: "\(name)@\(address)", server: HostPort(host: address, port: port),
                     authorization: authorization, checkInterval: checkInterval)
    }
}
