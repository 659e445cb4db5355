extension Peer {
    /// `peers`: `name → {"url", "api_key" or "api_key_file", "check_seconds"}`.
    static func decodeSection(_ section: ConfigObjectReader, paths: PathChecker) throws(ConfigError) -> [Peer] {
        try section.requireOnlyKeys(section.members.map(\.0))
        var peers: [Peer] = []
        for (name, value) in section.members {
            let entry = try ConfigObjectReader(value, path: section.keyPath(name))
            guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) else {
                throw ConfigError(keyPath: entry.path, message: "a peer name must be non-empty, without spaces or control characters")
            }
            try entry.requireOnlyKeys(["url", "api_key", "api_key_file", "check_seconds"])
            guard let url = try entry.string("url", expected: "an http://host:port URL") else {
                throw ConfigError(keyPath: entry.keyPath("url"), message: "missing; give the peer's http://host:port")
            }
            let address: ModelRemote.Address
            switch ModelRemote.Address.parse(url) {
            case .success(let parsed): address = parsed
            case .failure(let failure): throw ConfigError(keyPath: entry.keyPath("url"), message: failure.message)
            }
            if let other = peers.first(where: { $0.address == address }) {
                throw ConfigError(keyPath: entry.keyPath("url"), message: "\(address) is already peer \(other.name)")
            }
            peers.append(Peer(
                name: name, address: address, apiKey: try ModelRemote.decodeKey(entry, paths: paths),
                checkSeconds: try entry.number("check_seconds", in: 0.001...Timeouts.maximumSeconds, expected: "a number of seconds above 0")
                    ?? defaultCheckSeconds))
        }
        return peers
    }
}
