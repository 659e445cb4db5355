/// An agent that writes its reply as it goes: each `reply.send(_:)` reaches a streaming client at
/// once as a `chat.completion.chunk` (a client that did not ask to stream gets the whole text as
/// one `chat.completion`). Returning ends the reply; throwing `AgentFailure` ends it with that
/// error (any other error: 500). No thread is held while it awaits: it runs as a Swift task, and
/// the handler returns `LSP_OUTCOME_PENDING` at once.
///
/// It also needs `handle(_:)`, for a host without the reply functions (which then calls only
/// that); `handle` may say so with `.fail(status: 501, ...)`.
public protocol StreamingAgent: Agent {
    func stream(_ invocation: AgentInvocation, to reply: AgentReplyWriter) async throws
}

/// Ends a streamed reply with an OpenAI-shaped error: an error response if nothing was sent yet,
/// else the error event that ends the stream.
public struct AgentFailure: Error, Sendable, Equatable {
    public var status: Int
    public var message: String

    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }
}
