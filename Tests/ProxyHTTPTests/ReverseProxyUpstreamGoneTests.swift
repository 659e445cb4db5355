import Endpoints
import Foundation
import Glibc
import Testing

@testable import ProxyHTTP

/// A connection that ends unanswered: the upstream died with the request when nothing listens
/// any more (reported `.unreachable`, so the caller may send it elsewhere), and is merely broken
/// when it still listens (a 502, as before).
@Suite struct ReverseProxyUpstreamGoneTests {
    /// Reads the request, lets the test decide what happens to the listener, then ends the
    /// connection without a byte of answer. A connection that sends no request (the test's and
    /// the proxy's probes of the listener, which the last script also serves) takes no part.
    final class Handshake: Sendable {
        let requestRead = DispatchSemaphore(value: 0)
        let mayClose = DispatchSemaphore(value: 0)

        var script: ScriptedUpstream.Script {
            { [self] connection in
                guard connection.readRequest() != nil else { return }
                requestRead.signal()
                mayClose.wait()
                connection.close()
            }
        }
    }

    @Test(arguments: [false, true])
    func aConnectionEndingUnansweredIsUnreachableOnlyWhenNothingListens(listenerClosed: Bool) throws {
        let handshake = Handshake()
        try withScriptedUpstream([handshake.script], reportUnreachable: true) { upstream, testbed in
            let client = try testbed.client()
            client.send("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
            #expect(handshake.requestRead.wait(timeout: .now() + 30) == .success)
            if listenerClosed {
                upstream.stop()
                #expect(eventually(timeout: 10) { upstream.address.refusesConnections() }, "the port still accepts")
            } else {
                #expect(!upstream.address.refusesConnections())
            }
            handshake.mayClose.signal()
            let outcomes = testbed.forwarder.outcomes(count: 1, timeout: 30)
            if listenerClosed {
                guard case .unreachable(let reason)? = outcomes.first else {
                    throw TestFailure("expected unreachable, got \(outcomes)")
                }
                #expect(reason.contains("no longer accepts connections"), "\(reason)")
                #expect(try testbed.forwarder.firstResponder().headSent == false, "the caller answers, not the proxy")
            } else {
                #expect(outcomes == [.upstreamFailed(UpstreamError.closedEarly.description)])
                #expect(try client.response(method: "POST").head.status == 502)
            }
        }
    }

    @Test func aUnixSocketWhoseFileIsGoneOrUnboundRefuses() throws {
        let path = NSTemporaryDirectory() + "lsp-gone-\(getpid()).sock"
        #expect(UpstreamEndpoint.unixSocket(path: path).refusesConnections(), "no file")
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        #expect(UpstreamEndpoint.unixSocket(path: path).refusesConnections(), "bound, not listening")
        #expect(listen(fd, 4) == 0)
        #expect(!UpstreamEndpoint.unixSocket(path: path).refusesConnections(), "listening")
    }
}
