/// A request line and its header fields.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: String
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    public init(method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders()) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 only when told `keep-alive`.
    public var keepAlive: Bool { headers.keepAlive(for: version) }

    /// `Expect: 100-continue`; ignored for HTTP/1.0, as RFC 9110 §10.1.1 requires.
    public var expectsContinue: Bool {
        version != .http1_0 && headers.listContains("expect", token: "100-continue")
    }
}

extension HTTPHeaders {
    func keepAlive(for version: HTTPVersion) -> Bool {
        if listContains("connection", token: "close") { return false }
        return version == .http1_0 ? listContains("connection", token: "keep-alive") : true
    }
}
