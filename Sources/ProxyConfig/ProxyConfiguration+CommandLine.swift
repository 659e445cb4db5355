import Foundation

extension ProxyConfiguration {
    /// The configuration with the command line's `--host`, `--port` and `--pid-file` taking precedence.
    public func applying(_ options: CommandLineOptions) -> ProxyConfiguration {
        var configuration = self
        if let host = options.host { configuration.host = host }
        if let port = options.port { configuration.port = port }
        // Relative to the working folder, as any path on a command line.
        if let pidFile = options.pidFile { configuration.pidFile = URL(fileURLWithPath: pidFile).standardizedFileURL.path }
        return configuration
    }
}
