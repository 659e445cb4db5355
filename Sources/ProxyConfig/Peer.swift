import Endpoints

/// Another Llama Smart Proxy (`peers`): its models are listed and served here too, each request
/// going to a peer that has the model loaded, else to the least busy one that lists it.
public struct Peer: Sendable, Equatable {
    public var name: String
    /// `url`'s host and port; for a `dns` entry, the DNS name and `port`.
    public var address: HostPort
    /// Sent as `Authorization: Bearer` to the peer (its listing included).
    public var apiKey: String?
    /// Seconds between two readings of the peer's `/v1/models`.
    public var checkSeconds: Double
    /// A `dns` entry's seconds between two resolutions of its name (each address is one peer);
    /// nil for a peer given by its `url`.
    public var resolveSeconds: Double?

    public static let defaultCheckSeconds = 5.0
    public static let defaultResolveSeconds = 30.0
    public static let defaultDNSPort = 8080

    public init(name: String, address: HostPort, apiKey: String? = nil, checkSeconds: Double = defaultCheckSeconds,
                resolveSeconds: Double? = nil) {
        self.name = name
        self.address = address
        self.apiKey = apiKey
        self.checkSeconds = checkSeconds
        self.resolveSeconds = resolveSeconds
    }
}
