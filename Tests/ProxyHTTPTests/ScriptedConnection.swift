import Glibc
import HTTPCodec

/// One upstream connection as a script sees it.
final class ScriptedConnection: @unchecked Sendable {
    let number: Int
    private let fd: Int32
    private unowned let upstream: ScriptedUpstream
    private var buffer = ByteBuffer()
    private var parser = HTTPRequestParser()

    init(fd: Int32, number: Int, log upstream: ScriptedUpstream) {
        self.fd = fd
        self.number = number
        self.upstream = upstream
    }

    deinit { close() }

    /// Reads one whole request; nil when the proxy closed the connection first.
    @discardableResult
    func readRequest() -> HTTPRequestHead? {
        var head: HTTPRequestHead?
        var body: [UInt8] = []
        while true {
            do {
                while let part = try parser.next(&buffer) {
                    switch part {
                    case .head(let received): head = received
                    case .body(let bytes): body += bytes
                    case .end:
                        guard let head else { return nil }
                        upstream.record("\(number) \(head.method) \(head.target) \(String(decoding: body, as: UTF8.self))")
                        return head
                    }
                }
            } catch {
                return nil
            }
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return nil }
            buffer.append(chunk[0..<count])
        }
    }

    func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Answers with a small keep-alive response.
    func respond(_ body: String) {
        write("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }

    private var isClosed = false

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }
}
