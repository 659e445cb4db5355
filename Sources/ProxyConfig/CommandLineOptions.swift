/// What the command line asks for when it asks the proxy to run.
public struct CommandLineOptions: Sendable, Equatable {
    public var configPath: String
    /// Overrides `host` from the configuration file.
    public var host: String?
    /// Overrides `port` from the configuration file.
    public var port: Int?

    public init(configPath: String = "config.json", host: String? = nil, port: Int? = nil) {
        self.configPath = configPath
        self.host = host
        self.port = port
    }
}

public enum CommandLineAction: Sendable, Equatable {
    case run(CommandLineOptions)
    case help
    case version
}

/// A command line that cannot be obeyed; `description` is meant to be printed with the usage hint.
public struct CommandLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
