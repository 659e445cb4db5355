/// How the pool spreads a model's requests over its replicas (`scheduling.replica_routing`).
public enum ReplicaRouting: String, Sendable, CaseIterable {
    /// A conversation goes to the replica that holds its prefix (`AffinityRing`, bounded load);
    /// a request with no conversation to the least busy one.
    case affinity
    /// Each request to the next replica in turn, whatever it carries (for comparisons).
    case roundRobin = "round_robin"
}
