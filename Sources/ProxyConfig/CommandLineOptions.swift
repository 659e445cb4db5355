/// What the command line asks for when it asks the proxy to run.
public struct CommandLineOptions: Sendable, Equatable {
    public var configPath: String
    /// Overrides `host` from the configuration file.
    public var host: String?
    /// Overrides `port` from the configuration file.
    public var port: Int?
    /// Overrides `pid_file` from the configuration file (relative to the working folder).
    public var pidFile: String?

    public init(configPath: String = "config.json", host: String? = nil, port: Int? = nil, pidFile: String? = nil) {
        self.configPath = configPath
        self.host = host
        self.port = port
        self.pidFile = pidFile
    }
}

public enum CommandLineAction: Sendable, Equatable {
    case run(CommandLineOptions)
    case help
    /// `--version`, with the configuration named before it (whose `llama_server` is asked its version).
    case version(configPath: String)
}

/// A command line that cannot be obeyed; `description` is meant to be printed with the usage hint.
public struct CommandLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
