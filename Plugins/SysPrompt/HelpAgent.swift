import LlamaSmartProxyPluginSDK

/// `/help`: lists every loaded agent, from every plugin, with its usage and summary. (A host too
/// old to list them gets this plugin's own agents.)
struct HelpAgent: Agent {
    let command = "help"
    let summary = "Lists the available agents."
    let usage = "/help"
    let others: [any Agent]

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        if let agents = invocation.host.loadedAgents(), !agents.isEmpty {
            return .reply(agents.map { "\($0.usage) - \($0.summary)" }.joined(separator: "\n"))
        }
        return .reply(([self] + others).map { "\($0.usage) - \($0.summary)" }.joined(separator: "\n"))
    }
}
