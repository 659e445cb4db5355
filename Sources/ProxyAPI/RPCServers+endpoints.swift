import Endpoints
import ProxyConfig
import ProxyPool

extension RPCServers {
    /// The RPC servers llama-server `arguments` name, as the pool connects to them (none for
    /// arguments the configuration check would have refused).
    static func endpoints(in arguments: [String]) -> [UpstreamEndpoint] {
        ((try? list(in: arguments)) ?? []).map { .tcp(host: $0.host, port: $0.port) }
    }
}
