import LlamaSmartProxyPluginSDK

/// `/model <id> <prompt>`: sends `<prompt>` to model `<id>` instead of the requested one (the
/// proxy resolves `<id>` like any model name, so a unique prefix works).
struct ModelSwitchAgent: Agent {
    let command = "model"
    let summary = "Sends the prompt to another model."
    let usage = "/model <model> <prompt>"

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        let arguments = CommandArguments(invocation.arguments)
        guard !arguments.word.isEmpty, !arguments.prompt.isEmpty else { return .fail(status: 400, message: "usage: \(usage)") }
        return .patch(RequestPatch(set: ["model": .string(arguments.word)], lastUserText: arguments.prompt))
    }
}
