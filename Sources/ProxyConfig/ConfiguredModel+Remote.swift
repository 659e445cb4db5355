import Endpoints

extension ConfiguredModel {
    static let remoteKeys = ["url", "urls", "api_key", "api_key_file", "health_path", "health_check_seconds"]
    /// What a remote model may have besides its remote keys: the proxy runs, places and queues nothing for it.
    static let keysWithRemote: Set<String> = Set(remoteKeys + filterKeys + agentKeys + ["aliases"])

    /// `url` or `urls` and the keys that only make sense with them; nil when the entry has
    /// neither (and then none of them). Errors never quote a key's text.
    static func decodeRemote(_ entry: ConfigObjectReader, paths: PathChecker) throws(ConfigError) -> ModelRemote? {
        guard entry.value("url") != nil || entry.value("urls") != nil else {
            if let stray = remoteKeys.dropFirst(2).first(where: { entry.value($0) != nil }) {
                throw ConfigError(keyPath: entry.keyPath(stray), message: "only for a remote model (with `url` or `urls`)")
            }
            return nil
        }
        if let other = entry.members.map(\.0).first(where: { !keysWithRemote.contains($0) }) {
            throw ConfigError(keyPath: entry.keyPath(other),
                              message: "not for a remote model (`url`/`urls`): the proxy does not run, place or queue it")
        }
        if entry.value("url") != nil && entry.value("urls") != nil {
            throw ConfigError(keyPath: entry.keyPath("urls"), message: "give either `url` or `urls`, not both")
        }
        var remote = ModelRemote(addresses: try decodeAddresses(entry))
        remote.apiKey = try ModelRemote.decodeKey(entry, paths: paths)
        remote.healthPath = try decodeCheckPath(entry, key: "health_path")
        remote.healthCheckSeconds = try entry.number(
            "health_check_seconds", in: 0.001...Timeouts.maximumSeconds, expected: "a number of seconds above 0")
        return remote
    }

    private static func decodeAddresses(_ entry: ConfigObjectReader) throws(ConfigError) -> [HostPort] {
        let urls: [(keyPath: String, url: String)]
        if let one = try entry.string("url", expected: "an http://host:port URL") {
            urls = [(entry.keyPath("url"), one)]
        } else {
            let several = try entry.stringArray("urls") ?? []
            guard !several.isEmpty else {
                throw ConfigError(keyPath: entry.keyPath("urls"), message: "give at least one http://host:port URL")
            }
            urls = several.enumerated().map { ("\(entry.keyPath("urls"))[\($0.offset)]", $0.element) }
        }
        var addresses: [HostPort] = []
        for (keyPath, url) in urls {
            switch HostPort.parse(url) {
            case .success(let address):
                guard !addresses.contains(address) else {
                    throw ConfigError(keyPath: keyPath, message: "\(address) is listed twice")
                }
                addresses.append(address)
            case .failure(let failure):
                throw ConfigError(keyPath: keyPath, message: failure.message)
            }
        }
        return addresses
    }
}
