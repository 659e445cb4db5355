/// Where an upstream HTTP server listens: a running llama-server, a command upstream, a remote
/// server. The one endpoint type: the pool names it, the HTTP layer connects to it.
public enum UpstreamEndpoint: Sendable, Hashable, CustomStringConvertible {
    case unixSocket(path: String)
    case tcp(host: String, port: Int)

    public var description: String {
        switch self {
        case .unixSocket(let path): "unix:\(path)"
        case .tcp(let host, let port): "\(host):\(port)"
        }
    }
}
