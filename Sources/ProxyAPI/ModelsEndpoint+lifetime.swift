import ProxyJSON
import ProxyPool

extension ModelsEndpoint {
    /// `pinned`, `ttl_seconds` (0: for ever), `group`, and for an idle loaded model with a TTL
    /// when it will be unloaded: `expires_in_seconds` and `expires_at` (Unix seconds), else null.
    static func lifetimeMembers(_ lifetime: ModelLifetime, status: ModelStatus?, clock: WallClock) -> [(String, JSONValue)] {
        let expiresIn = status?.expiresAt.map { clock.secondsUntil($0) }
        return [
            ("pinned", .bool(lifetime.pinned)),
            ("ttl_seconds", seconds(lifetime.ttlSeconds)),
            ("group", lifetime.group.map { .string($0.name) } ?? .null),
            ("expires_in_seconds", expiresIn.map { seconds(($0 * 10).rounded(.up) / 10) } ?? .null),
            ("expires_at", expiresIn.map { .int(Int((clock.unixSeconds + $0).rounded(.up))) } ?? .null),
        ]
    }

    /// Whole seconds as an integer, others with their fraction.
    static func seconds(_ value: Double) -> JSONValue {
        value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .number(value)
    }
}
