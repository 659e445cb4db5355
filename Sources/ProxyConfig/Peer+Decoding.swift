import Endpoints

extension Peer {
    /// `peers`: `name → {"url" or "dns" (+ "port", "resolve_seconds"), "api_key" or "api_key_file", "check_seconds"}`.
    static func decodeSection(_ section: ConfigObjectReader, paths: PathChecker) throws(ConfigError) -> [Peer] {
        try section.requireOnlyKeys(section.members.map(\.0))
        var peers: [Peer] = []
        for (name, value) in section.members {
            let entry = try ConfigObjectReader(value, path: section.keyPath(name))
            guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0 == "@" }) else {
                throw ConfigError(keyPath: entry.path, message: "a peer name must be non-empty, without spaces, control characters or @")
            }
            try entry.requireOnlyKeys(["url", "dns", "port", "resolve_seconds", "api_key", "api_key_file", "check_seconds"])
            let (address, resolveSeconds) = try decodeAddress(entry)
            if let other = peers.first(where: { $0.address == address }) {
                let key = resolveSeconds == nil ? "url" : "dns"
                throw ConfigError(keyPath: entry.keyPath(key), message: "\(address) is already peer \(other.name)")
            }
            peers.append(Peer(
                name: name, address: address, apiKey: try ModelRemote.decodeKey(entry, paths: paths),
                checkSeconds: try entry.number("check_seconds", in: 0.001...Timeouts.maximumSeconds, expected: "a number of seconds above 0")
                    ?? defaultCheckSeconds,
                resolveSeconds: resolveSeconds))
        }
        return peers
    }

    /// `url` (one peer), or `dns` with its `port` and `resolve_seconds` (a peer per address).
    private static func decodeAddress(_ entry: ConfigObjectReader) throws(ConfigError) -> (HostPort, Double?) {
        let url = try entry.string("url", expected: "an http://host:port URL")
        let dns = try entry.string("dns", expected: "a DNS name")
        switch (url, dns) {
        case (nil, nil):
            throw ConfigError(keyPath: entry.keyPath("url"), message: "missing; give the peer's http://host:port, or a `dns` name")
        case (.some, .some):
            throw ConfigError(keyPath: entry.keyPath("dns"), message: "give `url` or `dns`, not both")
        case (let url?, nil):
            for key in ["port", "resolve_seconds"] where entry.value(key) != nil {
                throw ConfigError(keyPath: entry.keyPath(key), message: "only with `dns` (a `url` gives its own port)")
            }
            switch HostPort.parse(url) {
            case .success(let parsed): return (parsed, nil)
            case .failure(let failure): throw ConfigError(keyPath: entry.keyPath("url"), message: failure.message)
            }
        case (nil, let dns?):
            guard dns.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"/:@?#[]".unicodeScalars.contains($0) }) else {
                throw ConfigError(keyPath: entry.keyPath("dns"), message: "a host name, without a scheme, port, path or spaces")
            }
            let port = try entry.integer("port", in: 1...65535, expected: "a port from 1 to 65535") ?? defaultDNSPort
            let seconds = try entry.number("resolve_seconds", in: 0.001...Timeouts.maximumSeconds, expected: "a number of seconds above 0")
                ?? defaultResolveSeconds
            return (HostPort(host: dns, port: port), seconds)
        }
    }
}
