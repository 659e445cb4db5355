/// How to start the llama-server for one model, how many requests it may serve at once, and how
/// many may wait for it.
/// The pool appends `--host <socket>`, so `arguments` must not choose the listening address itself.
public struct LaunchSpec: Sendable, Hashable {
    public var modelID: String
    /// A path, or a bare name looked up on PATH.
    public var executable: String
    /// e.g. ["-m", "/abs/tiny.gguf", "--alias", "tiny"]
    public var arguments: [String]
    /// Leases the pool hands out on one child at once; further acquires wait in the model's queue.
    public var concurrencyLimit: Int
    /// Acquires that may wait in the model's queue at once; one more fails at once (`queueFull`).
    /// nil: no limit.
    public var queueLimit: Int?

    public init(modelID: String, executable: String, arguments: [String], concurrencyLimit: Int = .max, queueLimit: Int? = nil) {
        self.modelID = modelID
        self.executable = executable
        self.arguments = arguments
        self.concurrencyLimit = max(1, concurrencyLimit)
        self.queueLimit = queueLimit.map { max(1, $0) }
    }
}
