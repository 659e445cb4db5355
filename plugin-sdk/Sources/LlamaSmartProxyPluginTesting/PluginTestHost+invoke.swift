import LlamaSmartProxyPluginContract
import LlamaSmartProxyPluginSDK
import ProxyJSON

extension PluginTestHost {
    /// Calls the agent whose `/command` starts the request's last user message, found as the
    /// proxy finds it (ProxyJSON reads the message, `SlashCommandLine` splits it), through the C
    /// ABI, with the request exactly as given.
    public func invoke(request: String) throws -> PluginTestCall {
        let body = Array(request.utf8)
        guard let summary = try? JSONScanner.scanRequestBody(body) else { throw PluginTestError.invalidRequest(request) }
        let text = ChatRequestPatch.lastUserText(in: body)
        guard let line = text.flatMap(SlashCommandLine.split),
              let agent = state.withLock({ $0.agents.first { $0.command == line.command } })
        else { throw PluginTestError.noCommand(text ?? "(no user message)") }
        let model = summary.model ?? ""
        return PluginTestCall(request: request, command: line.command, arguments: line.arguments, model: model,
                              outcome: agent.invoke(arguments: line.arguments, requestJSON: request, model: model))
    }

    /// Calls an agent with a chat request built from `messages` (see `TestChatRequest`).
    public func invoke(messages: [TestChatRequest.Message], model: String = "test-model",
                       extra: [String: JSONFragment] = [:]) throws -> PluginTestCall {
        try invoke(request: TestChatRequest.json(messages: messages, model: model, extra: extra))
    }
}
