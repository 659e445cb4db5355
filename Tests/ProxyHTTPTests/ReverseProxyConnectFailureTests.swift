import Foundation
import Glibc
import Testing

@testable import ProxyHTTP

/// A TCP upstream that cannot be reached, for a caller that tries elsewhere (a remote model's
/// next server): reported as `.unreachable`, with nothing sent to the client.
@Suite struct ReverseProxyConnectFailureTests {
    @Test func aRefusedTCPConnectIsReportedUnreachable() throws {
        let listener = try TCPListener.bind(host: "127.0.0.1", port: 0)
        close(listener.fd)  // nothing listens on this port any more
        let testbed = try ProxyTestbed(upstream: .address(.tcp(host: "127.0.0.1", port: listener.port)), reportUnreachable: true)
        defer { testbed.stop() }
        let client = try testbed.client()
        client.send("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
        let outcomes = testbed.forwarder.outcomes(count: 1, timeout: 30)
        guard case .unreachable(let reason)? = outcomes.first else {
            throw TestFailure("expected unreachable, got \(outcomes)")
        }
        #expect(reason.contains("cannot connect to upstream 127.0.0.1:\(listener.port)"), "\(reason)")
        #expect(try testbed.forwarder.firstResponder().headSent == false, "the caller answers, not the proxy")
    }

    @Test func aConnectThatNeverCompletesFailsAfterTheConnectTimeout() throws {
        // A listener that never accepts, its backlog full: the kernel drops further SYNs, so a
        // connect to it hangs (as to a host that is down) instead of being refused.
        let listener = try TCPListener.bind(host: "127.0.0.1", port: 0)
        defer { close(listener.fd) }
        #expect(listen(listener.fd, 0) == 0)
        let fillers = (0..<4).map { _ in Self.startConnect(port: listener.port) }
        defer { fillers.forEach { close($0) } }
        let testbed = try ProxyTestbed(
            upstream: .address(.tcp(host: "127.0.0.1", port: listener.port)), upstreamConnectTimeout: 1, reportUnreachable: true)
        defer { testbed.stop() }
        let client = try testbed.client()
        client.send("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
        let outcomes = testbed.forwarder.outcomes(count: 1, timeout: 60)
        guard case .unreachable(let reason)? = outcomes.first else {
            throw TestFailure("expected unreachable, got \(outcomes)")
        }
        #expect(reason.contains("not connected within 1.0 s"), "\(reason)")
    }

    /// A non-blocking connect left to the kernel (it fills the listener's backlog).
    static func startConnect(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return fd
    }
}
