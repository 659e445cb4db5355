import Foundation
import HTTPCodec
import ProxyAgents
import ProxyHTTP
import ProxyJSON

/// `GET /v1/agents`: every loaded agent, its plugin file, checksum and load time.
struct AgentsEndpoint: Sendable {
    let agents: AgentHost

    func list(responder: HTTPResponder) {
        let body = JSONValue.object([("object", .string("list")), ("data", .array(Self.entries(agents.current)))]).serialized()
        responder.respond(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: body)
    }

    /// One object per loaded agent, by command (also in `GET /admin/status`).
    static func entries(_ registry: AgentRegistry) -> [JSONValue] {
        registry.commands.compactMap { command in
            guard let agent = registry.agents[command] else { return nil }
            return .object([
                ("command", .string("/" + agent.command)),
                ("summary", .string(agent.summary)),
                ("usage", .string(agent.usage)),
                ("plugin", .string(agent.plugin.name)),
                ("path", .string(agent.plugin.path)),
                ("sha256", .string(agent.plugin.sha256)),
                ("loaded_at", .int(Int(agent.plugin.loadedAt.timeIntervalSince1970))),
            ])
        }
    }
}
