import Foundation
import HTTPCodec
import Testing

@testable import ProxyHTTP

/// The header and keep-alive timeouts on real sockets (the state machine tests cover the rules
/// with a fake clock; these cover the loop's once-a-second sweep that enforces them). Short
/// limits, and the tests run in parallel, so the whole suite takes about two seconds.
@Suite struct HTTPServerTimeoutTests {
    static let limit = 0.4
    static let timeouts = ServerConnectionStateMachine.Timeouts(
        requestHeader: limit.nanosecondsIfLimited, keepAlive: limit.nanosecondsIfLimited)

    func withTestbed(_ body: (ProxyTestbed) throws -> Void) throws {
        let testbed = try ProxyTestbed(proxyTimeouts: Self.timeouts)
        defer { testbed.stop() }
        try body(testbed)
    }

    /// Not before the limit (less a little: the server's clock starts at accept, just before
    /// ours), and within the once-a-second sweep after it.
    static func closedInTime(_ seconds: Double) -> Bool { seconds >= limit - 0.05 && seconds < limit + 10 }

    /// Waits for the server to close, returning whatever it sent first and the time it took.
    func bytesUntilClosed(_ client: BlockingTestClient, since start: Date) -> (text: String, seconds: Double) {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(client.fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            received += chunk[0..<count]
        }
        return (String(decoding: received, as: UTF8.self), Date().timeIntervalSince(start))
    }

    @Test func aHalfSentHeadGets408AndIsClosed() throws {
        try withTestbed { testbed in
            let client = try testbed.client()
            let start = Date()
            client.send("GET /echo HTTP/1.1\r\nHost: slow\r\n")
            let (text, seconds) = bytesUntilClosed(client, since: start)
            #expect(text.hasPrefix("HTTP/1.1 408 "))
            #expect(text.contains("Connection: close"))
            #expect(Self.closedInTime(seconds), "closed after \(seconds) s")
        }
    }

    @Test func aSilentNewConnectionIsClosedWithoutAResponse() throws {
        try withTestbed { testbed in
            let client = try testbed.client()
            let (text, seconds) = bytesUntilClosed(client, since: Date())
            #expect(text == "")
            #expect(Self.closedInTime(seconds), "closed after \(seconds) s")
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedQuietly() throws {
        try withTestbed { testbed in
            let client = try testbed.client()
            client.send("POST /echo HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi")
            #expect(try client.response().body == Array("hi".utf8))
            let (text, seconds) = bytesUntilClosed(client, since: Date())
            #expect(text == "")
            #expect(Self.closedInTime(seconds), "closed after \(seconds) s")
        }
    }

    @Test func neitherTimeoutCutsOffAResponseThatTakesLonger() throws {
        try withTestbed { testbed in
            let client = try testbed.client()
            // Sent in pieces, each well inside the header limit.
            client.send("POST /delay/1200 HTTP/1.1\r\n")
            Thread.sleep(forTimeInterval: 0.1)
            client.send("Content-Length: 4\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.1)
            client.send("done")
            #expect(try client.response().body == Array("done".utf8))
        }
    }
}
