import ProxyConfig
import ProxyPool

extension PeerUpstream {
    init(_ peer: Peer) {
        self.init(name: peer.name, server: RemoteUpstream.Server(host: peer.address.host, port: peer.address.port),
                  authorization: peer.apiKey.map { "Bearer \($0)" }, checkInterval: peer.checkSeconds)
    }
}
