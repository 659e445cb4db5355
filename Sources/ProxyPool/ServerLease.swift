import Endpoints
/// The right to send one request to a ready server; hand it back with `ServerPool.release`.
/// `instance` tells child processes of the same model apart, so a lease on a child that has
/// since died cannot touch the count of its successor.
public struct ServerLease: Sendable, Hashable {
    public let modelID: String
    public let endpoint: UpstreamEndpoint
    public let instance: Int
    /// Which replica of its model the child is (1 unless the model has `replicas`).
    public let replica: Int

    public init(modelID: String, endpoint: UpstreamEndpoint, instance: Int, replica: Int = 1) {
        self.replica = replica
        self.modelID = modelID
        self.endpoint = endpoint
        self.instance = instance
    }
}
