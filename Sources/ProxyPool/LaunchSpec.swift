/// How to start the llama-server for one model, and how many requests it may serve at once.
/// The pool appends `--host <socket>`, so `arguments` must not choose the listening address itself.
public struct LaunchSpec: Sendable, Hashable {
    public var modelID: String
    /// A path, or a bare name looked up on PATH.
    public var executable: String
    /// e.g. ["-m", "/abs/tiny.gguf", "--alias", "tiny"]
    public var arguments: [String]
    /// Leases the pool hands out on one child at once; further acquires wait in the model's queue.
    public var concurrencyLimit: Int
    /// TTL, pinning and group: what may unload the model.
    public var lifetime: ModelLifetime

    public init(
        modelID: String, executable: String, arguments: [String], concurrencyLimit: Int = .max,
        lifetime: ModelLifetime = ModelLifetime()
    ) {
        self.modelID = modelID
        self.executable = executable
        self.arguments = arguments
        self.concurrencyLimit = max(1, concurrencyLimit)
        self.lifetime = lifetime
    }
}
