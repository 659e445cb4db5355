extension ConfigObjectReader {
    /// A list of llama-server arguments (`default_args`, a model's or a device's `args`); an `--rpc`
    /// among them must name servers as `host:port[,host:port...]`, so a typo fails at start, not
    /// at the model's first load.
    func arguments(_ key: String) throws(ConfigError) -> [String]? {
        guard let arguments = try stringArray(key) else { return nil }
        do {
            _ = try RPCServers.list(in: arguments)
        } catch {
            throw ConfigError(keyPath: keyPath(key), message: error.description)
        }
        return arguments
    }
}
