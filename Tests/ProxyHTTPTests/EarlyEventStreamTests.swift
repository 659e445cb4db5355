import Endpoints
import Foundation
import HTTPCodec
import Synchronization
import Testing

@testable import ProxyHTTP

/// An event stream whose head and first comment go out before the upstream is asked: a 200
/// event stream continues it byte for byte, anything else ends it with one error event.
@Suite(.serialized) struct EarlyEventStreamTests {
    /// Upstream routes: `/sse` a 200 event stream, `/json-error` llama-server's 400 JSON error,
    /// `/json-ok` a 200 JSON body, `/text-error` a 500 plain-text body, `/sse-cut` an event
    /// stream that breaks off mid-event.
    final class Upstream: HTTPRequestHandler {
        func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
            switch request.head.path {
            case "/sse":
                responder.sendHead(HTTPResponseHead(status: 200, headers: ["Content-Type": "text/event-stream"]))
                responder.sendBody(Array("data: {\"n\":1}\n\n".utf8)[...])
                responder.sendBody(Array("data: [DONE]\n\n".utf8)[...])
                responder.finish()
            case "/json-error":
                responder.respond(status: 400, headers: ["Content-Type": "application/json; charset=utf-8"],
                                  body: Array(#"{"error":{"code":400,"message":"bad","type":"invalid_request_error"}}"#.utf8))
            case "/json-ok":
                responder.respond(status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"a":1}"#.utf8))
            case "/text-error":
                responder.respond(status: 500, headers: ["Content-Type": "text/plain"], body: Array("it broke".utf8))
            case "/sse-cut":
                responder.sendHead(HTTPResponseHead(status: 200, headers: ["Content-Type": "text/event-stream"]))
                responder.sendBody(Array("data: {\"n\":".utf8)[...])
                responder.abort()
            default:
                responder.respond(status: 404, body: [])
            }
        }
    }

    /// Starts an early stream with one comment, then forwards to the upstream (same path).
    final class EarlyForwarder: HTTPRequestHandler {
        let proxy: ReverseProxy
        let address: UpstreamEndpoint
        let outcomes = Mutex<[ReverseProxy.Outcome]>([])

        init(proxy: ReverseProxy, address: UpstreamEndpoint) {
            self.proxy = proxy
            self.address = address
        }

        func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
            let stream = EarlyEventStream(responder: responder)
            stream.start()
            stream.sendComment("loading m 1 s")
            proxy.forward(request, to: address, reportUnreachable: true, continuing: stream, responder: responder) { [self] outcome in
                outcomes.withLock { $0.append(outcome) }
                if case .unreachable(let reason) = outcome {
                    stream.fail(message: "unreachable: \(reason)", type: "server_error", code: "model_gone")
                }
            }
        }
    }

    final class Setup {
        let group = EventLoopGroup(count: 1)
        let upstream: HTTPServer
        let forwarder: EarlyForwarder
        let proxy: HTTPServer

        init(address: UpstreamEndpoint? = nil) throws {
            upstream = try HTTPServer(
                configuration: .init(host: "127.0.0.1", port: 0, limits: HTTPParserLimits(), timeouts: ProxyTestbed.relaxedTimeouts),
                group: group, handler: Upstream())
            forwarder = EarlyForwarder(
                proxy: ReverseProxy(group: group), address: address ?? .tcp(host: "127.0.0.1", port: upstream.port))
            proxy = try HTTPServer(
                configuration: .init(host: "127.0.0.1", port: 0, limits: HTTPParserLimits(), timeouts: ProxyTestbed.relaxedTimeouts),
                group: group, handler: forwarder)
        }

        func post(_ path: String) throws -> (head: HTTPResponseHead, body: String) {
            let client = try BlockingTestClient(port: proxy.port)
            client.send("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            let response = try client.response(method: "POST")
            return (response.head, String(decoding: response.body, as: UTF8.self))
        }

        func stop() {
            upstream.stopAccepting()
            proxy.stopAccepting()
            group.stop()
        }
    }

    @Test func aUpstreamEventStreamContinuesTheEarlyOne() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let (head, body) = try setup.post("/sse")
        #expect(head.status == 200)
        #expect(head.headers["content-type"] == "text/event-stream")
        #expect(head.headers["transfer-encoding"] == "chunked")
        #expect(body == ": loading m 1 s\n\ndata: {\"n\":1}\n\ndata: [DONE]\n\n")
        #expect(eventually { setup.forwarder.outcomes.withLock { $0 } == [.completed(status: 200, bytes: body.utf8.count)] })
    }

    @Test func aJSONErrorBecomesTheClosingEventAsIs() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let (head, body) = try setup.post("/json-error")
        #expect(head.status == 200)  // sent before the upstream was asked
        #expect(body == ": loading m 1 s\n\ndata: {\"error\":{\"code\":400,\"message\":\"bad\",\"type\":\"invalid_request_error\"}}\n\n")
        #expect(eventually { setup.forwarder.outcomes.withLock { $0 } == [.completed(status: 400, bytes: body.utf8.count)] })
    }

    @Test func anythingElseBecomesAnErrorEventThatQuotesIt() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let text = try setup.post("/text-error").body
        #expect(text == ": loading m 1 s\n\n"
            + #"data: {"error":{"message":"the upstream answered status 500: it broke","type":"server_error","code":"upstream_error"}}"#
            + "\n\n")
        let json = try setup.post("/json-ok").body
        #expect(json == ": loading m 1 s\n\n"
            + #"data: {"error":{"message":"the upstream answered 200 with Content-Type application/json, not an event stream: {\"a\":1}","type":"server_error","code":"upstream_error"}}"#
            + "\n\n")
    }

    @Test func aStreamThatBreaksOffEndsWithAnErrorEvent() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let (head, body) = try setup.post("/sse-cut")
        #expect(head.status == 200)
        #expect(body.hasPrefix(": loading m 1 s\n\ndata: {\"n\":\n\ndata: {\"error\":"))
        #expect(body.hasSuffix(#""type":"server_error","code":"upstream_error"}}"# + "\n\n"))
    }

    @Test func anUnreachableUpstreamLeavesTheStreamToTheCaller() throws {
        let setup = try Setup(address: .unixSocket(path: "/nonexistent/lsp-test.sock"))
        defer { setup.stop() }
        let (head, body) = try setup.post("/sse")
        #expect(head.status == 200)
        #expect(body.hasPrefix(": loading m 1 s\n\ndata: {\"error\":{\"message\":\"unreachable: "))
        #expect(body.hasSuffix(#""code":"model_gone"}}"# + "\n\n"))
        let outcomes = setup.forwarder.outcomes.withLock { $0 }
        #expect(outcomes.count == 1)
        if case .unreachable = outcomes.first {} else { Issue.record("expected unreachable, got \(outcomes)") }
    }
}
