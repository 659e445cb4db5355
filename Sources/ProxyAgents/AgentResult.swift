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
}
