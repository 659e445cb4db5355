import Foundation
import HTTPCodec
import ProxyAgents
import ProxyHTTP
import ProxyJSON

/// `GET /v1/agents`: every loaded agent and response hook, its plugin file, checksum and load time.
struct AgentsEndpoint: Sendable {
    let agents: AgentHost

    func list(responder: HTTPResponder) {
        let registry = agents.current
        var members: [(String, JSONValue)] = [("object", .string("list")), ("data", .array(Self.entries(registry)))]
        members.append(("response_hooks", .array(Self.hookEntries(registry))))
        members.append(("skipped", .array(Self.skippedEntries(registry))))
        if let problem = registry.folderProblem { members.append(("folder_error", .string(problem))) }
        let body = JSONValue.object(members).serialized()
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
                ("response_hook", agent.responseHook.map(JSONValue.string) ?? .null),
            ] + pluginMembers(agent.plugin))
        }
    }

    /// One object per loaded response hook, by name.
    static func hookEntries(_ registry: AgentRegistry) -> [JSONValue] {
        registry.hooks.keys.sorted().compactMap { name in
            registry.hooks[name].map { hook in
                .object([("name", .string(hook.name)), ("summary", .string(hook.summary))] + pluginMembers(hook.plugin))
            }
        }
    }

    private static func pluginMembers(_ plugin: PluginFile) -> [(String, JSONValue)] {
        [("plugin", .string(plugin.name)), ("path", .string(plugin.path)), ("sha256", .string(plugin.sha256)),
         ("loaded_at", .int(Int(plugin.loadedAt.timeIntervalSince1970)))]
    }

    /// One object per plugin file the last load skipped: its path, why, and the commands it
    /// would serve (`commands_guessed`: from its file name only).
    static func skippedEntries(_ registry: AgentRegistry) -> [JSONValue] {
        registry.skipped.map { file in
            .object([
                ("path", .string(file.path)), ("reason", .string(file.reason)),
                ("commands", .array(file.commands.map { .string("/" + $0) })), ("commands_guessed", .bool(file.commandsGuessed)),
            ])
        }
    }
}
