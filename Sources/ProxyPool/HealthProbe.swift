import Endpoints
import Glibc

/// llama-server's readiness check: `GET /health` answers 503 while the model loads and 200
/// once it can serve. A raw blocking request on a fresh connection: nothing to set up or tear
/// down, and quick enough to repeat every few milliseconds. A command upstream may name another
/// path, or none: then accepting a connection is ready enough.
public struct HealthProbe: ReadinessProbe {
    /// Bounds the connect, the send and each receive.
    public var timeout: Double
    /// Asked with GET until it answers 200; nil: a connection that is accepted means ready.
    public var path: String?
    /// The `Host` header (a remote server may be a virtual host).
    public var host: String
    /// An `Authorization` header value, for a remote server that wants its key.
    public var authorization: String?

    public init(timeout: Double = 2, path: String? = "/health", host: String = "localhost", authorization: String? = nil) {
        self.timeout = timeout
        self.path = path
        self.host = host
        self.authorization = authorization
    }

    public func isReady(_ endpoint: UpstreamEndpoint) -> Bool {
        let fd = BlockingSocket.connect(endpoint, timeout: timeout)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard let path else { return true }
        let credential = authorization.map { "Authorization: \($0)\r\n" } ?? ""
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\n\(credential)Connection: close\r\n\r\n"
        guard BlockingSocket.sendAll(fd, Array(request.utf8)) else { return false }
        return Self.readStatusCode(fd) == 200
    }

    /// The code from "HTTP/1.1 200 OK": the status line is all we need, not the body.
    static func readStatusCode(_ fd: Int32) -> Int? {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while head.count < 12 {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            head += buffer[0..<count]
        }
        return parseStatusCode(head)
    }

    public static func parseStatusCode(_ head: [UInt8]) -> Int? {
        guard head.count >= 12, head.starts(with: Array("HTTP/1.".utf8)), head[8] == UInt8(ascii: " ") else { return nil }
        return Int(String(decoding: head[9..<12], as: UTF8.self))
    }
}
