import ProxyJSON
import ProxyPool

extension ModelsEndpoint {
    /// One entry per model the peers that are up list (those not `except`, this proxy's own):
    /// its best state among them (`ready`, then `loading`, then the first peer's), the requests
    /// in flight there, and each peer's name, URL and state of it. `only`: that model's entry alone.
    static func peerEntries(_ peers: [PeerStatus], except own: Set<String>, only: String? = nil, created: Int) -> [JSONValue] {
        var order: [String] = []
        var holders: [String: [(peer: PeerStatus, model: PeerModel)]] = [:]
        for peer in peers where peer.health != .down {
            for model in peer.models where !own.contains(model.id) && (only == nil || model.id == only) {
                if holders[model.id] == nil { order.append(model.id) }
                holders[model.id, default: []].append((peer, model))
            }
        }
        return order.map { id in
            let listed = holders[id]!
            let states = listed.map(\.model.state)
            let state = states.contains("ready") ? "ready" : states.contains("loading") ? "loading" : states[0]
            var aliases: [String] = []
            for alias in listed.flatMap(\.model.aliases) where !aliases.contains(alias) { aliases.append(alias) }
            return .object([
                ("id", .string(id)),
                ("object", .string("model")),
                ("owned_by", .string("llama-smart-proxy")),
                ("created", .int(created)),
                ("state", .string(state)),
                ("in_flight", .int(listed.reduce(0) { $0 + $1.model.inFlight })),
                ("queued", .int(0)),
                ("aliases", .array(aliases.map { .string($0) })),
                ("source", .string("peer")),
                ("peers", .array(listed.map { holder in
                    .object([
                        ("name", .string(holder.peer.name)),
                        ("url", .string("http://\(holder.peer.server)")),
                        ("state", .string(holder.model.state)),
                        ("in_flight", .int(holder.model.inFlight)),
                    ])
                })),
            ])
        }
    }
}
