import ProxyJSON
import ProxyPool
import ProxyResolver

extension ModelsEndpoint {
    /// A model served at URLs: `ready` while a server is not known to be down (else
    /// `unavailable`), its requests in flight, and each server's state (`up`, `down`, or
    /// `unchecked` before its first check). The pool's members (memory, device, lifetime) do not apply.
    static func remoteEntry(_ model: ResolvedModel, servers: [RemoteServerStatus], created: Int) -> JSONValue {
        let anyUsable = servers.contains { $0.health != .down }
        return .object([
            ("id", .string(model.id)),
            ("object", .string("model")),
            ("owned_by", .string("llama-smart-proxy")),
            ("created", .int(created)),
            ("state", .string(anyUsable ? "ready" : "unavailable")),
            ("in_flight", .int(servers.reduce(0) { $0 + $1.inFlight })),
            ("queued", .int(0)),
            ("aliases", .array(model.aliases.map { .string($0) })),
            ("variants", .array(model.variants.map { .string("\(model.id):\($0)") })),
            ("source", .string("remote")),
            ("servers", .array(servers.map { server in
                .object([
                    ("url", .string("http://\(server.server)")),
                    ("state", .string(healthName(server.health))),
                    ("in_flight", .int(server.inFlight)),
                ])
            })),
        ])
    }

    static func healthName(_ health: RemoteHealth) -> String {
        switch health {
        case .unchecked: "unchecked"
        case .up: "up"
        case .down: "down"
        }
    }
}
