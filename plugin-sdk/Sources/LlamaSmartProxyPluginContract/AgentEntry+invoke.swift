import LlamaSmartProxyPluginABI

extension AgentEntry {
    /// Calls the handler through the C ABI, copies its outcome and hands the plugin's buffer
    /// back to the plugin's own `release`. `reply` is the id the plugin ends a pending reply
    /// with (0: none).
    public func invoke(arguments: String, requestJSON: String, model: String, reply: UInt64 = 0) -> AgentResult {
        Self.invoke(handle: handle, release: release, context: context, command: command,
                    arguments: arguments, requestJSON: requestJSON, model: model, reply: reply)
    }

    /// The same, for an agent held as its parts.
    public static func invoke(
        handle: lsp_agent_handler, release: lsp_release_function, context: UnsafeMutableRawPointer?,
        command: String, arguments: String, requestJSON: String, model: String, reply: UInt64 = 0
    ) -> AgentResult {
        var outcome = lsp_outcome()
        command.withCString { command in
            arguments.withCString { arguments in
                model.withCString { model in
                    requestJSON.withCString { request in
                        var invocation = lsp_invocation(
                            command: command, arguments: arguments,
                            request_json: request, request_json_length: requestJSON.utf8.count, model: model,
                            reply: reply
                        )
                        handle(context, &invocation, &outcome)
                    }
                }
            }
        }
        let text = outcome.text.map {
            String(decoding: UnsafeRawBufferPointer(start: $0, count: outcome.text_length), as: UTF8.self)
        } ?? ""
        if let buffer = outcome.text { release(context, buffer) }
        return AgentResult.decoded(kind: outcome.kind, status: outcome.status, text: text, command: command)
    }
}
