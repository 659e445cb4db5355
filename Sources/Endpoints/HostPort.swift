/// A TCP server's address as the configuration names it: a remote model's server, a peer, a
/// llama.cpp RPC server (`host` may be a name, resolved off the event loops).
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    /// A name, an IPv4 address or an IPv6 address (without its brackets).
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port` as a URL (or llama-server's `--rpc`) writes it: IPv6 in brackets; also the
    /// `Host` header a remote server gets.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
