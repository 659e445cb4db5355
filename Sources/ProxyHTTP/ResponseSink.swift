/// Where an `HTTPResponder`'s framed bytes go: a client's connection, or a consumer in this
/// process (`InProcessResponse`). Loop-bound, like the responder.
protocol ResponseSink: AnyObject {
    var isClosed: Bool { get }
    /// Written but not yet taken by the reader.
    var pendingOutputBytes: Int { get }
    /// Whether the connection stays open after the response being written.
    var keepsAliveAfterResponse: Bool { get }
    func write(_ bytes: ArraySlice<UInt8>)
    /// The response must end the connection (a close-delimited body).
    func closeAfterResponse()
    func responseFinished()
    /// Ends at once, dropping what was not taken.
    func closeNow()
    /// Ends once what was written is taken: a truncated response.
    func closeAfterFlush()
}

extension ServerConnection: ResponseSink {}
