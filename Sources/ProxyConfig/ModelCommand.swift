import Glibc

/// A model's `cmd`: any command serving an OpenAI-compatible API, run instead of llama-server.
/// Its strings keep their `${...}` placeholders; the proxy fills them in (`CommandTemplate`).
public struct ModelCommand: Sendable, Equatable {
    /// `cmd`: the executable (a path, or a name looked up on PATH) and its arguments.
    public var argv: [String]
    /// `env`: set in (or added to) the environment the command inherits.
    public var environment: [String: String]
    /// `ready_path` (default `/health`): GET until it answers 200; nil (`null` or `""`): ready
    /// once it accepts a connection.
    public var readyPath: String?
    /// `stop_signal` (default SIGTERM), sent to the command's process group to stop it.
    public var stopSignal: Int32
    /// `stop_cmd`: run instead of sending the signal (`${PID}` is the command's pid).
    public var stopCommand: [String]?

    public init(
        argv: [String], environment: [String: String] = [:], readyPath: String? = "/health",
        stopSignal: Int32 = SIGTERM, stopCommand: [String]? = nil
    ) {
        self.argv = argv
        self.environment = environment
        self.readyPath = readyPath
        self.stopSignal = stopSignal
        self.stopCommand = stopCommand
    }

    /// The signals `stop_signal` may name.
    public static let signals: [(name: String, number: Int32)] = [
        ("SIGTERM", SIGTERM), ("SIGINT", SIGINT), ("SIGQUIT", SIGQUIT), ("SIGHUP", SIGHUP),
        ("SIGUSR1", SIGUSR1), ("SIGUSR2", SIGUSR2), ("SIGKILL", SIGKILL),
    ]
}
