import Endpoints
import Glibc

/// A model served by a command of the operator's choosing instead of llama-server: any server of
/// an OpenAI-compatible API. Its argv and environment values may hold placeholders
/// (`CommandPlaceholders`); `${MODEL_ID}` and `${MODEL_PATH}` are filled in before the pool sees
/// it, `${PORT}` or `${SOCKET}` when its child starts, `${PID}` (in `stopCommand`) when it stops.
public struct UpstreamCommand: Sendable, Hashable {
    /// Where the command listens: the argv names `${PORT}` (a free loopback TCP port the pool
    /// picks) or `${SOCKET}` (a UNIX socket path in the runtime directory).
    public enum Listening: Sendable, Hashable {
        case tcpPort
        case unixSocket
    }

    /// The executable (a path, or a name looked up on PATH) and its arguments.
    public var argv: [String]
    /// Set in (or added to) the environment the child inherits, over its device's.
    public var environment: [String: String]
    /// The path asked with GET until it answers 200; nil: ready once it accepts a connection.
    public var readyPath: String?
    /// Sent to the child's process group to stop it (SIGKILL follows after the stop grace).
    public var stopSignal: Int32
    /// Run instead of sending `stopSignal`, e.g. `["docker", "stop", "name"]`; SIGKILL still
    /// follows after the stop grace if the child is still there.
    public var stopCommand: [String]?
    public var listening: Listening

    public init(
        argv: [String], environment: [String: String] = [:], readyPath: String? = "/health",
        stopSignal: Int32 = SIGTERM, stopCommand: [String]? = nil
    ) {
        self.argv = argv
        self.environment = environment
        self.readyPath = readyPath
        self.stopSignal = stopSignal
        self.stopCommand = stopCommand
        listening = argv.contains { CommandPlaceholders.names(in: $0).contains("PORT") } ? .tcpPort : .unixSocket
    }

    /// The argv and environment with `${PORT}` or `${SOCKET}` filled in for `endpoint`.
    func expanded(for endpoint: UpstreamEndpoint) -> (argv: [String], environment: [String: String]) {
        var values: [String: String] = [:]
        switch endpoint {
        case .tcp(_, let port): values["PORT"] = String(port)
        case .unixSocket(let path): values["SOCKET"] = path
        }
        return (argv.map { CommandPlaceholders.expand($0, values) },
                environment.mapValues { CommandPlaceholders.expand($0, values) })
    }
}
