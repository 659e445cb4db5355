/// How to start the llama-server for one model. The pool appends `--host <socket>`, so
/// `arguments` must not choose the listening address itself.
public struct LaunchSpec: Sendable, Hashable {
    public var modelID: String
    /// A path, or a bare name looked up on PATH.
    public var executable: String
    /// e.g. ["-m", "/abs/tiny.gguf", "--alias", "tiny"]
    public var arguments: [String]

    public init(modelID: String, executable: String, arguments: [String]) {
        self.modelID = modelID
        self.executable = executable
        self.arguments = arguments
    }
}
