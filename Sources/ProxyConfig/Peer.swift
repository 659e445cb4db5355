/// Another Llama Smart Proxy (`peers`): its models are listed and served here too, each request
/// going to a peer that has the model loaded, else to the least busy one that lists it.
public struct Peer: Sendable, Equatable {
    public var name: String
    public var address: ModelRemote.Address
    /// Sent as `Authorization: Bearer` to the peer (its listing included).
    public var apiKey: String?
    /// Seconds between two readings of the peer's `/v1/models`.
    public var checkSeconds: Double

    public static let defaultCheckSeconds = 5.0

    public init(name: String, address: ModelRemote.Address, apiKey: String? = nil, checkSeconds: Double = defaultCheckSeconds) {
        self.name = name
        self.address = address
        self.apiKey = apiKey
        self.checkSeconds = checkSeconds
    }
}
