/// Where a running llama-server listens.
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
