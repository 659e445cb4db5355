import Glibc
import HTTPCodec
import ProxyHTTP
import ProxyPool
import Synchronization

/// Lets agents call models "through the host API": the request goes to this proxy's own address,
/// so it is resolved, queued, loaded and logged exactly like a client's. It carries the
/// process's `LoopbackCredential`, which skips the API key check and the agent step (no agent
/// can recurse into itself) and which no client can forge.
final class LoopbackChatClient: Sendable {
    private let credential: LoopbackCredential
    private let address = Mutex<(host: String, port: Int)>(("127.0.0.1", 0))

    init(credential: LoopbackCredential) {
        self.credential = credential
    }

    /// Where the proxy listens; a wildcard address is reached through loopback.
    func setAddress(host: String, port: Int) {
        let reachable = ["0.0.0.0", "::", ""].contains(host) ? "127.0.0.1" : host
        address.withLock { $0 = (reachable, port) }
    }

    /// Posts `requestJSON` to /v1/chat/completions; `completion` gets the status and body. It runs
    /// on the calling thread (the ABI lets the callback run on any thread, this one included), so
    /// sub-calls are bounded by the agent threads that make them. An agent past its deadline has
    /// its sub-calls cut and any further one refused at once.
    func complete(_ requestJSON: String, completion: @escaping @Sendable (Int, String) -> Void) {
        let (host, port) = address.withLock { $0 }
        let scope = AgentInvocationScope.current
        let token = credential.token
        switch Self.post(Array(requestJSON.utf8), host: host, port: port, token: token, scope: scope) {
        case .success(let (status, body)): completion(status, String(decoding: body, as: UTF8.self))
        case .failure(let reason) where scope?.isExpired == true:
            let body = ErrorResponseBody.json(
                message: "agent model call cut off: the agent's deadline passed (\(reason))", type: "agent_error", code: "agent_timeout")
            completion(504, String(decoding: body, as: UTF8.self))
        case .failure(let reason):
            let body = ErrorResponseBody.json(message: "agent model call failed: \(reason)", type: "server_error", code: "agent_model_call_failed")
            completion(503, String(decoding: body, as: UTF8.self))
        }
    }

    private static func post(_ body: [UInt8], host: String, port: Int, token: String, scope: AgentInvocationScope?) -> Result<(Int, [UInt8]), LoopbackError> {
        guard scope?.isExpired != true else { return .failure(LoopbackError("not sent")) }
        guard port > 0 else { return .failure(LoopbackError("the proxy is not listening yet")) }
        // No timeout: a model may take minutes to load and answer (the agent's deadline cuts it).
        let fd = BlockingSocket.connect(.tcp(host: host, port: port), timeout: 0)
        guard fd >= 0 else { return .failure(LoopbackError("cannot connect to \(host):\(port)")) }
        guard scope?.adopt(fd) ?? true else {
            close(fd)
            return .failure(LoopbackError("not sent"))
        }
        defer {
            scope?.relinquish(fd)
            close(fd)
        }
        let head = HTTPRequestHead(method: "POST", target: "/v1/chat/completions", headers: [
            "Host": host, "Content-Type": "application/json", "Content-Length": String(body.count),
            LoopbackCredential.headerName: token, "Connection": "close",
        ])
        var bytes = [UInt8]()
        head.write(into: &bytes)
        bytes += body
        guard BlockingSocket.sendAll(fd, bytes) else { return .failure(LoopbackError("write failed")) }
        return readResponse(fd)
    }

    private static func readResponse(_ fd: Int32) -> Result<(Int, [UInt8]), LoopbackError> {
        var parser = HTTPResponseParser()
        parser.expectResponse(toMethod: "POST")
        var buffer = ByteBuffer()
        var status = 0
        var body: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        do {
            while true {
                while let part = try parser.next(&buffer) {
                    switch part {
                    case .head(let head): status = head.status
                    case .body(let bytes): body += bytes
                    case .end: return .success((status, body))
                    }
                }
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count <= 0 {
                    if case .end? = try parser.inputClosed() { return .success((status, body)) }
                    return .failure(LoopbackError("the connection closed early"))
                }
                buffer.append(chunk[0..<count])
            }
        } catch {
            return .failure(LoopbackError("malformed response: \(error.message)"))
        }
    }
}

private struct LoopbackError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
