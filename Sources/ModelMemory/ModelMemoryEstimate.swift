/// What a model is expected to need in memory once llama-server runs it, in bytes.
public struct ModelMemoryEstimate: Sendable, Equatable {
    /// The tensors of the model (all split parts) and of its `--mmproj` projector.
    public let weights: UInt64
    /// The KV cache for the context and slots the arguments ask for.
    public let kvCache: UInt64
    /// Compute buffers and the output buffer (see `ComputeMargin`).
    public let compute: UInt64

    /// The sum (UInt64.max when the parts are absurd: a size that fits nowhere).
    public var total: UInt64 { [weights, kvCache, compute].saturatingSum() }

    public init(weights: UInt64, kvCache: UInt64, compute: UInt64) {
        self.weights = weights
        self.kvCache = kvCache
        self.compute = compute
    }
}
