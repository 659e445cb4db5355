import Testing
@testable import ProxyConfig

@Suite struct PeerConfigParsingTests {
    var fileSystem = FakeFileSystem()

    func error(_ peers: String) -> String? {
        fileSystem.error(#"{"llama_server": "bin/llama-server", "peers": "# + peers + "}")
    }

    @Test mutating func readsPeersInOrderWithTheirKeysAndIntervals() throws {
        fileSystem.contents["/etc/proxy/b.key"] = "sk-b\n"
        let config = try fileSystem.parse(#"""
            {"llama_server": "bin/llama-server", "peers": {
              "gpu-a": {"url": "http://10.0.0.5:8080", "api_key": "sk-a", "check_seconds": 1.5},
              "gpu-b": {"url": "http://gpu-b.lan", "api_key_file": "b.key"}}}
            """#)
        #expect(config.peers == [
            Peer(name: "gpu-a", address: .init(host: "10.0.0.5", port: 8080), apiKey: "sk-a", checkSeconds: 1.5),
            Peer(name: "gpu-b", address: .init(host: "gpu-b.lan", port: 80), apiKey: "sk-b", checkSeconds: Peer.defaultCheckSeconds),
        ])
        #expect(try fileSystem.parse(#"{"llama_server": "bin/llama-server"}"#).peers == [])
    }

    @Test mutating func readsAPeerNamedByDNSWithItsPortAndInterval() throws {
        let config = try fileSystem.parse(#"""
            {"llama_server": "bin/llama-server", "peers": {
              "pool": {"dns": "proxies.llm.svc.cluster.local", "port": 9000, "resolve_seconds": 10, "api_key": "sk-p"},
              "other": {"dns": "other.svc"}}}
            """#)
        #expect(config.peers == [
            Peer(name: "pool", address: .init(host: "proxies.llm.svc.cluster.local", port: 9000), apiKey: "sk-p",
                 checkSeconds: Peer.defaultCheckSeconds, resolveSeconds: 10),
            Peer(name: "other", address: .init(host: "other.svc", port: Peer.defaultDNSPort), resolveSeconds: Peer.defaultResolveSeconds),
        ])
    }

    @Test(arguments: [
        (#"{"a": {"url": "http://a:1", "dns": "a"}}"#, "peers.a.dns: give `url` or `dns`, not both"),
        (#"{"a": {"url": "http://a:1", "port": 1}}"#, "peers.a.port: only with `dns`"),
        (#"{"a": {"url": "http://a:1", "resolve_seconds": 1}}"#, "peers.a.resolve_seconds: only with `dns`"),
        (#"{"a": {"dns": "http://a"}}"#, "peers.a.dns: a host name, without a scheme"),
        (#"{"a": {"dns": "a:80"}}"#, "peers.a.dns: a host name, without a scheme, port"),
        (#"{"a": {"dns": "a", "port": 0}}"#, "peers.a.port: expected a port from 1 to 65535"),
        (#"{"a": {"dns": "a", "resolve_seconds": 0}}"#, "peers.a.resolve_seconds: expected a number of seconds above 0"),
        (#"{"a": {"dns": "a"}, "b": {"dns": "a", "port": 8080}}"#, "peers.b.dns: a:8080 is already peer a"),
        (#"{"a@b": {"dns": "a"}}"#, "peers.a@b: a peer name must be non-empty"),
    ])
    func refusesABadDNSEntry(_ peers: String, _ expected: String) {
        let message = error(peers)
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }

    @Test(arguments: [
        (#"{"a": {}}"#, "peers.a.url: missing; give the peer's http://host:port"),
        (#"{"a": {"url": "https://a:1"}}"#, "peers.a.url: https is not supported"),
        (#"{"a": {"url": "http://a:1/v1"}}"#, "peers.a.url: give the server's root"),
        (#"{"a": {"url": "http://a:1"}, "b": {"url": "http://a:1/"}}"#, "peers.b.url: a:1 is already peer a"),
        (#"{"a": {"url": "http://a:1", "models": []}}"#, "peers.a.models: unknown key"),
        (#"{"a": {"url": "http://a:1", "check_seconds": 0}}"#, "peers.a.check_seconds: expected a number of seconds above 0"),
        (#"{"a": {"url": "http://a:1", "api_key": "bad key"}}"#, "peers.a.api_key: a key must be"),
        (#"{"a b": {"url": "http://a:1"}}"#, "peers.a b: a peer name must be non-empty"),
        (#"["http://a:1"]"#, "peers: expected an object"),
    ])
    func refusesWithTheKeyNamed(_ peers: String, _ expected: String) {
        let message = error(peers)
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }
}
