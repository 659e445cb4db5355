extension ProxyConfiguration {
    /// The configuration with the command line's `--host` and `--port` taking precedence.
    public func applying(_ options: CommandLineOptions) -> ProxyConfiguration {
        var configuration = self
        if let host = options.host { configuration.host = host }
        if let port = options.port { configuration.port = port }
        return configuration
    }
}
