import Glibc
import HTTPCodec

/// Marks the proxy's own requests (agents' model calls, response hooks' rounds), handed to the
/// router in process (`InProcessModelCall`): a random token made once per process (from
/// /dev/urandom, never logged) sent in `headerName`, which the router checks in constant time and
/// removes. A client's request with the header but not the token is an ordinary one.
struct LoopbackCredential: Sendable, CustomStringConvertible {
    static let headerName = "X-Llama-Smart-Proxy-Agent"

    let token: String
    private let store: APIKeyStore

    init(token: String) {
        self.token = token
        store = APIKeyStore([token])
    }

    /// 32 bytes from /dev/urandom, as hex.
    static func random() -> LoopbackCredential {
        var bytes = [UInt8](repeating: 0, count: 32)
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        precondition(fd >= 0, "cannot open /dev/urandom (errno \(errno)); cannot make the loopback credential")
        defer { close(fd) }
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress! + filled, raw.count - filled) }
            if count < 0 && errno == EINTR { continue }
            precondition(count > 0, "cannot read /dev/urandom (errno \(errno)); cannot make the loopback credential")
            filled += count
        }
        let digits = Array("0123456789abcdef".utf8)
        return LoopbackCredential(token: String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self))
    }

    /// Whether `headers` carry the token; only the first marker field counts.
    func isPresented(in headers: HTTPHeaders) -> Bool {
        guard let value = headers[Self.headerName] else { return false }
        return store.contains(value[...])
    }

    var description: String { "LoopbackCredential(redacted)" }
}
