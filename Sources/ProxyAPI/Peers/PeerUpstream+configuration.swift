import Endpoints
import ProxyConfig
import ProxyPool

extension PeerUpstream {
    init(_ peer: Peer) {
        self.init(name: peer.name, server: peer.address,
                  authorization: peer.apiKey.map { "Bearer \($0)" }, checkInterval: peer.checkSeconds)
    }
}

extension PeerDNSName {
    /// A `dns` peer entry; nil for one given by its `url`.
    init?(_ peer: Peer) {
        guard let resolveSeconds = peer.resolveSeconds else { return nil }
        self.init(name: peer.name, host: peer.address.host, port: peer.address.port, authorization: peer.apiKey.map { "Bearer \($0)" },
                  checkInterval: peer.checkSeconds, resolveInterval: resolveSeconds)
    }
}
