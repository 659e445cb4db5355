/// A status line and its header fields.
public struct HTTPResponseHead: Sendable, Equatable {
    public var version: HTTPVersion
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaders

    /// `reason` defaults to the standard phrase for `status`.
    public init(version: HTTPVersion = .http1_1, status: Int, reason: String? = nil, headers: HTTPHeaders = HTTPHeaders()) {
        self.version = version
        self.status = status
        self.reason = reason ?? HTTPStatus.reasonPhrase(status)
        self.headers = headers
    }

    /// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 only when told `keep-alive`.
    /// A body delimited by closing the connection also ends it: see `HTTPResponseParser.readsUntilClose`.
    public var keepAlive: Bool { headers.keepAlive(for: version) }
}
