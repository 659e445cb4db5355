import LlamaSmartProxyPluginSDK

/// `/temp <x> <prompt>`: sends `<prompt>` with `temperature` set to `<x>`.
struct TemperatureAgent: Agent {
    let command = "temp"
    let summary = "Sends the prompt with this sampling temperature."
    let usage = "/temp <temperature> <prompt>"

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        let arguments = CommandArguments(invocation.arguments)
        guard let temperature = Double(arguments.word), temperature.isFinite, temperature >= 0, !arguments.prompt.isEmpty else {
            return .fail(status: 400, message: "usage: \(usage) (a temperature of 0 or more)")
        }
        return .patch(RequestPatch(set: ["temperature": .number(temperature)], lastUserText: arguments.prompt))
    }
}
