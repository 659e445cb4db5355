import Glibc
import HTTPCodec

/// A plain blocking TCP client for driving the server in tests, reading responses with the
/// codec's own parser.
final class BlockingTestClient {
    let fd: Int32
    private var buffer = ByteBuffer()
    private var parser = HTTPResponseParser()

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 { throw TestFailure("connect failed: errno \(errno)") }
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Reads the next part of a response, or nil when the connection closed.
    func nextPart(method: String = "GET") throws -> HTTPResponsePart? {
        while true {
            if let part = try parser.next(&buffer) { return part }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 { throw TestFailure("read failed or timed out: errno \(errno)") }
            if count == 0 { return try parser.inputClosed() }
            buffer.append(chunk[0..<count])
        }
    }

    /// Reads a whole response.
    func response(method: String = "GET") throws -> (head: HTTPResponseHead, body: [UInt8]) {
        parser.expectResponse(toMethod: method)
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        while let part = try nextPart() {
            switch part {
            case .head(let h): head = h
            case .body(let bytes): body += bytes
            case .end:
                guard let head else { throw TestFailure("end without head") }
                return (head, body)
            }
        }
        throw TestFailure("connection closed before the response ended")
    }

    /// True once the server closed the connection (read returns 0).
    func isClosedByServer() -> Bool {
        var byte: UInt8 = 0
        return read(fd, &byte, 1) == 0
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
