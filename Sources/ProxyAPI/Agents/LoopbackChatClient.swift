import Dispatch
import Glibc
import HTTPCodec
import ProxyHTTP
import Synchronization

/// Lets agents call models "through the host API": the request goes to this proxy's own port on
/// loopback, so it is resolved, queued, loaded and logged exactly like a client's. It carries
/// `internalHeader`, which skips the agent step (no agent can recurse into itself).
final class LoopbackChatClient: Sendable {
    static let internalHeader = "X-Llama-Smart-Proxy-Agent"
    private let port = Atomic<Int>(0)

    func setPort(_ value: Int) { port.store(value, ordering: .relaxed) }

    /// Posts `requestJSON` to /v1/chat/completions on a worker; `completion` gets the status and body.
    func complete(_ requestJSON: String, completion: @escaping @Sendable (Int, String) -> Void) {
        let port = port.load(ordering: .relaxed)
        DispatchQueue.global().async {
            switch Self.post(Array(requestJSON.utf8), port: port) {
            case .success(let (status, body)): completion(status, String(decoding: body, as: UTF8.self))
            case .failure(let reason):
                let body = ErrorResponseBody.json(message: "agent model call failed: \(reason)", type: "server_error", code: "agent_model_call_failed")
                completion(503, String(decoding: body, as: UTF8.self))
            }
        }
    }

    private static func post(_ body: [UInt8], port: Int) -> Result<(Int, [UInt8]), LoopbackError> {
        guard port > 0 else { return .failure(LoopbackError("the proxy is not listening yet")) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failure(LoopbackError("socket failed")) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return .failure(LoopbackError("connect failed")) }
        var head = HTTPRequestHead(method: "POST", target: "/v1/chat/completions", headers: [
            "Host": "127.0.0.1", "Content-Type": "application/json", "Content-Length": String(body.count),
            internalHeader: "1", "Connection": "close",
        ])
        head.version = .http1_1
        var bytes = [UInt8]()
        head.write(into: &bytes)
        bytes += body
        guard writeAll(fd, bytes) else { return .failure(LoopbackError("write failed")) }
        return readResponse(fd)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
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
