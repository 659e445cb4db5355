import LlamaSmartProxyPluginABI

extension LoadedAgent {
    /// Calls the plugin's handler through the C ABI, copies its outcome and hands the plugin's
    /// buffer back to the plugin's own `release`.
    /// `reply` is the id the plugin ends a pending reply with (0: none).
    public func invoke(arguments: String, requestJSON: String, model: String, reply: UInt64 = 0) -> AgentResult {
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
        return Self.result(kind: outcome.kind, status: outcome.status, text: text, command: command)
    }

    static func result(kind: Int32, status: Int32, text: String, command: String) -> AgentResult {
        switch UInt32(bitPattern: kind) {
        case LSP_OUTCOME_CONTINUE.rawValue: return .continueWith(requestJSON: text)
        case LSP_OUTCOME_REPLY.rawValue: return .reply(text)
        case LSP_OUTCOME_PATCH.rawValue: return .patch(json: text)
        case LSP_OUTCOME_PENDING.rawValue: return .pending
        case LSP_OUTCOME_FAIL.rawValue:
            return .fail(status: (400...599).contains(status) ? Int(status) : 500, message: text)
        default: return .fail(status: 500, message: "agent /\(command) returned no outcome")
        }
    }
}
