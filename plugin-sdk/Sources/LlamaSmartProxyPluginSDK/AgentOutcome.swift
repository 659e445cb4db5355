/// What an agent decided for one request.
public enum AgentOutcome: Sendable, Equatable {
    /// Forward this request body (the command removed, plus the agent's changes).
    case continueWith(requestJSON: String)
    /// Forward the client's request with these changes; the host edits its bytes in place, so
    /// everything the patch does not name reaches the model exactly as the client sent it.
    case patch(RequestPatch)
    /// Answer the client with this text, as a chat completion, without calling a model.
    case reply(String)
    /// Answer the client with an OpenAI-shaped error.
    case fail(status: Int, message: String)
}
