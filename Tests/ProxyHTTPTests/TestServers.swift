import Endpoints
import Foundation
import HTTPCodec
import Synchronization

@testable import ProxyHTTP

/// An upstream built on our own server, with routes that exercise the proxy:
/// `/echo` returns the request body (Content-Length), `/stream` sends chunks when the test
/// releases them, `/hang` sends one chunk and waits for the client to go away.
final class TestUpstream: HTTPRequestHandler {
    let streamGate = DispatchSemaphore(value: 0)
    let clientGone = DispatchSemaphore(value: 0)
    let requestsSeen = Mutex<[HTTPServerRequest]>([])

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        requestsSeen.withLock { $0.append(request) }
        switch request.head.target {
        case "/echo":
            responder.respond(status: 200, headers: ["Content-Type": "application/octet-stream", "X-Custom": "kept"], body: request.body)
        case "/stream":
            responder.sendHead(HTTPResponseHead(status: 200, headers: ["Content-Type": "text/event-stream"]))
            responder.sendBody(Array("data: first\n\n".utf8)[...])
            let gate = streamGate
            DispatchQueue.global().async {
                gate.wait()
                responder.loop.execute {
                    responder.sendBody(Array("data: second\n\n".utf8)[...])
                    responder.finish()
                }
            }
        case "/hang":
            let gone = clientGone
            responder.onClientGone = { gone.signal() }
            responder.sendHead(HTTPResponseHead(status: 200, headers: ["Content-Type": "text/event-stream"]))
            responder.sendBody(Array("data: first\n\n".utf8)[...])
        default:
            responder.respond(status: 404, body: [])
        }
    }
}

/// Forwards every request to one upstream address.
final class ForwardingHandler: HTTPRequestHandler {
    let proxy: ReverseProxy
    let address: UpstreamEndpoint
    let outcomes = Mutex<[ReverseProxy.Outcome]>([])

    init(proxy: ReverseProxy, address: UpstreamEndpoint) {
        self.proxy = proxy
        self.address = address
    }

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        proxy.forward(request, to: address, responder: responder) { outcome in
            self.outcomes.withLock { $0.append(outcome) }
        }
    }
}

/// An upstream server and a proxy in front of it, on loopback, in one process.
struct ProxyFixture {
    let group = EventLoopGroup(count: 2)
    let upstream = TestUpstream()
    let upstreamServer: HTTPServer
    let forwarding: ForwardingHandler
    let proxyServer: HTTPServer

    init(upstreamAddress: UpstreamEndpoint? = nil, limits: HTTPParserLimits = HTTPParserLimits()) throws {
        let timeouts = ServerConnectionStateMachine.Timeouts(requestHeader: 5_000_000_000, keepAlive: 30_000_000_000)
        upstreamServer = try HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, limits: limits, timeouts: timeouts), group: group, handler: upstream)
        forwarding = ForwardingHandler(
            proxy: ReverseProxy(group: group),
            address: upstreamAddress ?? .tcp(host: "127.0.0.1", port: upstreamServer.port))
        proxyServer = try HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, limits: limits, timeouts: timeouts), group: group, handler: forwarding)
    }

    func client() throws -> BlockingTestClient { try BlockingTestClient(port: proxyServer.port) }

    func stop() {
        upstreamServer.stopAccepting()
        proxyServer.stopAccepting()
        group.stop()
    }
}
