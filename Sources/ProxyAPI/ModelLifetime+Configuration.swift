import ProxyConfig
import ProxyPool
import ProxyResolver

extension ModelLifetime {
    /// The model's TTL (its own `ttl_seconds`, else the top-level one; 0 is for ever), pinning
    /// (configured models only) and group.
    init(model: ResolvedModel, configuration: ProxyConfiguration) {
        let configured = configuration.models.first { $0.id == model.id }
        let seconds = configured?.ttlSeconds ?? configuration.ttlSeconds
        let group = configuration.groups.first { $0.members.contains(model.id) }.map {
            ModelGroupRule(name: $0.name, swap: $0.swap, exclusive: $0.exclusive, persistent: $0.persistent)
        }
        self.init(
            idleTTL: seconds > 0 ? UInt64(seconds * 1e9) : nil, pinned: configured?.pinned ?? false, group: group)
    }

    /// The TTL in seconds as configured: 0 means for ever.
    var ttlSeconds: Double {
        idleTTL.map { Double($0) / 1e9 } ?? 0
    }
}
