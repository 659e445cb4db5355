import HTTPCodec

/// A complete request as the server hands it to the application.
public struct HTTPServerRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// When the head was complete (monotonic ns), for request logs.
    public var receivedAt: UInt64

    public init(head: HTTPRequestHead, body: [UInt8], receivedAt: UInt64) {
        self.head = head
        self.body = body
        self.receivedAt = receivedAt
    }
}

/// The application side of the server. Called on the connection's event loop; it must answer
/// through `responder` (on that same loop, hopping back with `responder.loop.execute` if needed).
public protocol HTTPRequestHandler: Sendable {
    func handle(_ request: HTTPServerRequest, responder: HTTPResponder)
}
