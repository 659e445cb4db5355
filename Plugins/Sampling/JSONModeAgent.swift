import LlamaSmartProxyPluginSDK

/// `/json <prompt>`: sends `<prompt>` asking the model for a JSON object (OpenAI's JSON mode).
struct JSONModeAgent: Agent {
    let command = "json"
    let summary = "Sends the prompt in JSON mode: the answer is a JSON object."
    let usage = "/json <prompt>"

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        guard !invocation.arguments.isEmpty else { return .fail(status: 400, message: "usage: \(usage)") }
        return .patch(RequestPatch(set: ["response_format": .object(["type": .string("json_object")])],
                                   lastUserText: invocation.arguments))
    }
}
