import LlamaSmartProxyPluginABI

/// What a plugin's agent decided for one request, copied out of plugin memory.
public enum AgentResult: Sendable, Equatable {
    /// Forward this request body instead of the client's.
    case continueWith(requestJSON: String)
    /// Forward the client's request with these top-level changes (`LSP_OUTCOME_PATCH`).
    case patch(json: String)
    /// Answer with this text as a chat completion.
    case reply(String)
    /// Answer with an OpenAI-shaped error.
    case fail(status: Int, message: String)
    /// The agent ends its reply later, through the host's reply functions (`LSP_OUTCOME_PENDING`).
    case pending

    /// The result an `lsp_outcome` stands for; a FAIL status outside 400...599 becomes 500, and
    /// an outcome the handler left unset fails with 500.
    public static func decoded(kind: Int32, status: Int32, text: String, command: String) -> AgentResult {
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
