import LlamaSmartProxyPluginSDK

/// `/help`: lists this plugin's agents. Listing every loaded agent needs a host API function
/// (appended to lsp_host_api in a later ABI version).
struct HelpAgent: Agent {
    let command = "help"
    let summary = "Lists the available agents."
    let usage = "/help"
    let others: [any Agent]

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        let lines = ([self] + others).map { "\($0.usage) - \($0.summary)" }
        return .reply(lines.joined(separator: "\n"))
    }
}
