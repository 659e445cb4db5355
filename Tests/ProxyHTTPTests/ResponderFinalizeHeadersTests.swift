import Endpoints
import Foundation
import HTTPCodec
import Testing

@testable import ProxyHTTP

/// `HTTPResponder.finalizeHeaders` edits every response head, the application's own and an
/// upstream's, without touching framing or bodies.
@Suite(.serialized) struct ResponderFinalizeHeadersTests {
    /// Forwards to `address` with a filter that owns `X-Custom` and adds `X-Added`.
    final class FinalizingForwarder: HTTPRequestHandler {
        let proxy: ReverseProxy
        let address: UpstreamEndpoint

        init(proxy: ReverseProxy, address: UpstreamEndpoint) {
            self.proxy = proxy
            self.address = address
        }

        func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
            responder.finalizeHeaders = { headers in
                headers.replaceOrAdd(name: "X-Custom", value: "owned")
                headers.add(name: "X-Added", value: "1")
            }
            if request.head.target == "/local" {
                responder.respond(status: 200, headers: ["X-Custom": "handler"], body: Array("local".utf8))
                return
            }
            proxy.forward(request, to: address, responder: responder) { _ in }
        }
    }

    struct Fixture {
        let group = EventLoopGroup(count: 1)
        let upstreamServer: HTTPServer
        let proxyServer: HTTPServer

        init() throws {
            let timeouts = ServerConnectionStateMachine.Timeouts(requestHeader: 5_000_000_000, keepAlive: 30_000_000_000)
            upstreamServer = try HTTPServer(
                configuration: .init(host: "127.0.0.1", port: 0, limits: HTTPParserLimits(), timeouts: timeouts),
                group: group, handler: TestUpstream())
            let forwarder = FinalizingForwarder(
                proxy: ReverseProxy(group: group), address: .tcp(host: "127.0.0.1", port: upstreamServer.port))
            proxyServer = try HTTPServer(
                configuration: .init(host: "127.0.0.1", port: 0, limits: HTTPParserLimits(), timeouts: timeouts),
                group: group, handler: forwarder)
        }

        func stop() {
            upstreamServer.stopAccepting()
            proxyServer.stopAccepting()
            group.stop()
        }
    }

    @Test func anUpstreamHeaderIsReplacedNotDuplicatedAndTheBodyIsUntouched() throws {
        let fixture = try Fixture()
        defer { fixture.stop() }
        let client = try BlockingTestClient(port: fixture.proxyServer.port)
        let body: [UInt8] = Array("{\"a\": 1}\n".utf8) + [0xFF, 0x00, 0xC3]
        client.send(Array("POST /echo HTTP/1.1\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
        let response = try client.response()
        #expect(response.head.status == 200)
        #expect(response.body == body)
        #expect(response.head.headers.values(for: "x-custom") == ["owned"])
        #expect(response.head.headers.values(for: "x-added") == ["1"])
        #expect(response.head.headers.values(for: "content-length") == [String(body.count)])
    }

    @Test func theApplicationsOwnResponsesAreFinalizedToo() throws {
        let fixture = try Fixture()
        defer { fixture.stop() }
        let client = try BlockingTestClient(port: fixture.proxyServer.port)
        client.send("GET /local HTTP/1.1\r\n\r\n")
        let response = try client.response()
        #expect(response.body == Array("local".utf8))
        #expect(response.head.headers.values(for: "x-custom") == ["owned"])
        #expect(response.head.headers.values(for: "x-added") == ["1"])
    }
}
