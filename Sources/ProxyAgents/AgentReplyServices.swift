/// What the host does for a plugin's pending replies and streamed model calls, from any thread.
public struct AgentReplyServices: Sendable {
    /// Appends text to a reply; false when the reply is over (its client gone, its deadline
    /// passed, already finished), or unknown.
    public var sendDelta: @Sendable (_ reply: UInt64, _ text: String) -> Bool
    /// Ends a reply with a result (`.pending` is refused as a failure); later calls do nothing.
    public var finish: @Sendable (_ reply: UInt64, _ result: AgentResult) -> Void
    /// Starts a streamed chat completion for `reply` (0: none); returns its call id.
    public var streamChat: @Sendable (_ reply: UInt64, _ requestJSON: String, _ events: StreamedCallEvents) -> UInt64
    /// Stops a streamed call early.
    public var cancelChat: @Sendable (_ call: UInt64) -> Void

    public init(
        sendDelta: @escaping @Sendable (UInt64, String) -> Bool,
        finish: @escaping @Sendable (UInt64, AgentResult) -> Void,
        streamChat: @escaping @Sendable (UInt64, String, StreamedCallEvents) -> UInt64,
        cancelChat: @escaping @Sendable (UInt64) -> Void
    ) {
        self.sendDelta = sendDelta
        self.finish = finish
        self.streamChat = streamChat
        self.cancelChat = cancelChat
    }

    /// No replies to write and no pool to call (a host without a request path).
    public static let none = AgentReplyServices(
        sendDelta: { _, _ in false }, finish: { _, _ in },
        streamChat: { _, _, events in
            events.end(503, #"{"error":{"message":"no model pool is available to plugins","type":"server_error"}}"#)
            return 0
        },
        cancelChat: { _ in })
}

/// Where a streamed call's events go: each chunk's JSON (return false to stop the call), then
/// the end, exactly once, with the status and (for an error) its body.
public struct StreamedCallEvents: Sendable {
    public var chunk: @Sendable (String) -> Bool
    public var end: @Sendable (Int, String) -> Void

    public init(chunk: @escaping @Sendable (String) -> Bool, end: @escaping @Sendable (Int, String) -> Void) {
        self.chunk = chunk
        self.end = end
    }
}
