import LlamaSmartProxyPluginContract
import LlamaSmartProxyPluginSDK
import ProxyJSON

extension PluginTestHost {
    /// Calls the agent whose `/command` starts the request's last user message, found as the
    /// proxy finds it (ProxyJSON reads the message, `SlashCommandLine` splits it), through the C
    /// ABI, with the request exactly as given. A reply the agent leaves pending (a
    /// `StreamingAgent`) is `.pending` here: `await` the async `invoke` to wait for its end.
    public func invoke(request: String) throws -> PluginTestCall {
        let (call, first, reply) = try start(request)
        let (outcome, deltas) = settleNow(first, reply: reply)
        return call.with(outcome: outcome, deltas: deltas)
    }

    /// The same, waiting (up to `replyTimeoutSeconds`) for the end of a reply the agent left
    /// pending: its outcome then holds the whole reply.
    public func invoke(request: String) async throws -> PluginTestCall {
        let (call, first, reply) = try start(request)
        let (outcome, deltas) = await settle(first, reply: reply, command: call.command)
        return call.with(outcome: outcome, deltas: deltas)
    }

    /// Calls an agent with a chat request built from `messages` (see `TestChatRequest`).
    public func invoke(messages: [TestChatRequest.Message], model: String = "test-model",
                       extra: [String: JSONFragment] = [:]) throws -> PluginTestCall {
        try invoke(request: TestChatRequest.json(messages: messages, model: model, extra: extra))
    }

    /// The same, waiting for a pending reply's end.
    public func invoke(messages: [TestChatRequest.Message], model: String = "test-model",
                       extra: [String: JSONFragment] = [:]) async throws -> PluginTestCall {
        try await invoke(request: TestChatRequest.json(messages: messages, model: model, extra: extra))
    }

    /// Calls the agent `command` as a model's agent (`models.ID.agent`) is called: with the
    /// request as the client sent it (no command in it) and no arguments; then as `invoke(request:)`.
    public func invoke(request: String, asModelAgent command: String) async throws -> PluginTestCall {
        let (call, first, reply) = try start(request, asModelAgent: command)
        let (outcome, deltas) = await settle(first, reply: reply, command: call.command)
        return call.with(outcome: outcome, deltas: deltas)
    }

    /// Finds the agent and runs its handler: the call so far, the handler's outcome, the reply id.
    private func start(_ request: String, asModelAgent modelAgent: String? = nil) throws -> (PluginTestCall, AgentResult, UInt64) {
        let body = Array(request.utf8)
        guard let summary = try? JSONScanner.scanRequestBody(body) else { throw PluginTestError.invalidRequest(request) }
        let text = ChatRequestPatch.lastUserText(in: body)
        let asked = modelAgent.map { (command: $0, arguments: "") }
            ?? text.flatMap(SlashCommandLine.split).map { (command: $0.command, arguments: $0.arguments) }
        guard let line = asked,
              let agent = state.withLock({ $0.agents.first { $0.command == line.command } })
        else { throw PluginTestError.noCommand(modelAgent.map { "/" + $0 } ?? text ?? "(no user message)") }
        let model = summary.model ?? ""
        let reply = openReply()
        let first = agent.invoke(arguments: line.arguments, requestJSON: request, model: model, reply: reply)
        let call = PluginTestCall(request: request, command: line.command, arguments: line.arguments, model: model,
                                  outcome: first, pending: first == .pending, deltas: [],
                                  responseHook: agent.responseHook)
        return (call, first, reply)
    }
}
