/// A request's affinity, as `ServerPool.acquire` takes it: the hash of the bytes its conversation
/// starts with, so every turn of one conversation has the same key (see `AffinityRing`).
public enum AffinityKey {
    public static func of(_ bytes: some Sequence<UInt8>) -> UInt64 {
        StableHash(bytes).mixed
    }
}
