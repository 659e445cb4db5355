import Foundation
import Glibc
import HTTPCodec
import Testing

@testable import ProxyHTTP

/// A client slower than its upstream: the proxy must hold the upstream back rather than buffer
/// the difference, and let go of it when the client leaves.
@Suite struct ReverseProxyBackPressureTests {
    @Test func aSlowClientHoldsTheUpstreamBackInsteadOfFillingTheProxy() throws {
        let total = 20 * 1024 * 1024
        let testbed = try ProxyTestbed()
        defer { testbed.stop() }
        let client = try testbed.client()
        var receiveBuffer: Int32 = 32 * 1024
        setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, socklen_t(MemoryLayout<Int32>.size))
        client.send("GET /bulk/\(total) HTTP/1.1\r\n\r\n")
        let sampler = try OutputQueueSampler(responder: testbed.forwarder.firstResponder())

        // Not reading at all for a while: the kernel buffers fill, then the proxy's queue for
        // this client, which must stop at its limit while the upstream waits.
        Thread.sleep(forTimeInterval: 0.3)
        let queuedWhileStalled = sampler.maximum
        var verifier = BulkPattern.Verifier()
        var sinceLastPause = 0
        parts: while let part = try client.nextPart() {
            switch part {
            case .head(let head): #expect(head.status == 200)
            case .body(let bytes):
                verifier.check(bytes)
                sinceLastPause += bytes.count
                if sinceLastPause >= 512 * 1024 {
                    sinceLastPause = 0
                    Thread.sleep(forTimeInterval: 0.002)
                }
            case .end: break parts
            }
        }
        sampler.stop()

        #expect(verifier.offset == total)
        #expect(verifier.mismatchAt == nil)
        // The stall did fill the client's queue up to the limit (so back-pressure was in play)...
        #expect(queuedWhileStalled >= 256 * 1024)
        // ...and it never grew past the limit plus one upstream read and its chunk framing.
        #expect(sampler.maximum <= 256 * 1024 + 32 * 1024 + 64)
        #expect(testbed.forwarder.outcomes(count: 1) == [.completed(status: 200, bytes: total)])
    }

    @Test func aClientLeavingMidStreamStopsTheUpstreamAndKeepsTheProxyUp() throws {
        let testbed = try ProxyTestbed()
        defer { testbed.stop() }
        var client: BlockingTestClient? = try testbed.client()
        client?.send("GET /bulk/\(64 * 1024 * 1024) HTTP/1.1\r\n\r\n")
        for _ in 0..<20 { _ = try client?.nextPart() }
        // The proxy is mid-stream, so its next writes hit a closed socket: EPIPE, which must not
        // become a SIGPIPE that kills the process (this test crashed the runner before).
        client = nil
        #expect(testbed.forwarder.outcomes(count: 1) == [.clientGone])
        // The proxy closed its upstream connection, so the upstream abandoned the stream too.
        #expect(eventually { testbed.upstreamServer?.tracker.requestsInFlight == 0 })
        let next = try testbed.client()
        next.send("POST /echo HTTP/1.1\r\nContent-Length: 2\r\n\r\nok")
        #expect(try next.response().body == Array("ok".utf8))
    }
}
