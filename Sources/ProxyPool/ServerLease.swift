/// The right to send one request to a ready server; hand it back with `ServerPool.release`.
/// `instance` tells child processes of the same model apart, so a lease on a child that has
/// since died cannot touch the count of its successor.
public struct ServerLease: Sendable, Hashable {
    public let modelID: String
    public let endpoint: UpstreamEndpoint
    public let instance: Int

    public init(modelID: String, endpoint: UpstreamEndpoint, instance: Int) {
        self.modelID = modelID
        self.endpoint = endpoint
        self.instance = instance
    }
}
