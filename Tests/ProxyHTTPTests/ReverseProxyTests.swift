import Foundation
import HTTPCodec
import Testing

@testable import ProxyHTTP

/// The transport end to end on loopback: our server, our reverse proxy, our server as upstream.
@Suite(.serialized) struct ReverseProxyTests {
    @Test func bodiesPassThroughByteForByteBothWays() throws {
        let fixture = try ProxyFixture()
        defer { fixture.stop() }
        let client = try fixture.client()
        // Unknown fields, odd spacing and bytes that are not UTF-8 must all survive.
        let body: [UInt8] = Array("{ \"model\" : \"x\",\n \"extra\": [1,2] }".utf8) + [0xFF, 0xFE, 0x00, 0xC3]
        client.send(Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
        let response = try client.response()
        #expect(response.head.status == 200)
        #expect(response.body == body)
        #expect(response.head.headers["x-custom"] == "kept")
        #expect(response.head.headers["content-length"] == String(body.count))
    }

    @Test func aChunkedRequestBodyReachesTheUpstreamWhole() throws {
        let fixture = try ProxyFixture()
        defer { fixture.stop() }
        let client = try fixture.client()
        client.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        let response = try client.response()
        #expect(response.body == Array("hello world".utf8))
        let seen = fixture.upstream.requestsSeen.withLock { $0.last }
        #expect(seen?.head.headers["content-length"] == "11")
        #expect(seen?.head.headers["transfer-encoding"] == nil)
    }

    @Test func streamedChunksReachTheClientBeforeTheUpstreamFinishes() throws {
        let fixture = try ProxyFixture()
        defer { fixture.stop() }
        let client = try fixture.client()
        client.send("GET /stream HTTP/1.1\r\n\r\n")
        guard case .head(let head) = try client.nextPart() else { throw TestFailure("no head") }
        #expect(head.headers["transfer-encoding"] == "chunked")
        // The upstream is still holding its second event: the first must already be here.
        guard case .body(let first) = try client.nextPart() else { throw TestFailure("no first chunk") }
        #expect(Array(first) == Array("data: first\n\n".utf8))
        fixture.upstream.streamGate.signal()
        guard case .body(let second) = try client.nextPart() else { throw TestFailure("no second chunk") }
        #expect(Array(second) == Array("data: second\n\n".utf8))
        #expect(try client.nextPart() == .end)
    }

    @Test func aClientLeavingMidStreamClosesTheUpstreamRequest() throws {
        let fixture = try ProxyFixture()
        defer { fixture.stop() }
        var client: BlockingTestClient? = try fixture.client()
        client?.send("GET /hang HTTP/1.1\r\n\r\n")
        _ = try client?.nextPart()
        _ = try client?.nextPart()
        client = nil  // closes the socket
        #expect(fixture.upstream.clientGone.wait(timeout: .now() + 5) == .success)
        // The proxy closes the upstream socket before it reports the outcome: wait for both.
        #expect(eventually { fixture.forwarding.outcomes.withLock { $0 }.contains(.clientGone) })
    }

    @Test func keepAliveReusesOneUpstreamConnection() throws {
        let fixture = try ProxyFixture()
        defer { fixture.stop() }
        let client = try fixture.client()
        for index in 0..<5 {
            client.send("POST /echo HTTP/1.1\r\nContent-Length: 1\r\n\r\n\(index)")
            #expect(try client.response().body == Array("\(index)".utf8))
        }
        #expect(fixture.upstreamServer.tracker.openConnections == 1)
    }

    @Test func anUnreachableUpstreamIsA502InOpenAIShape() throws {
        let fixture = try ProxyFixture(upstreamAddress: .unixSocket(path: "/nonexistent/upstream.sock"))
        defer { fixture.stop() }
        let client = try fixture.client()
        client.send("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
        let response = try client.response()
        #expect(response.head.status == 502)
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let error = json?["error"] as? [String: Any]
        #expect(error?["type"] as? String == "server_error")
        #expect((error?["message"] as? String)?.contains("cannot connect") == true)
    }

    @Test func malformedRequestsGetTheirStatusAndTheServerKeepsServing() throws {
        let fixture = try ProxyFixture(limits: HTTPParserLimits(maxHeaderBytes: 1024, maxBodyBytes: 1000))
        defer { fixture.stop() }
        for (request, status) in [
            ("GET / HTTP/2.0\r\n\r\n", 505),
            ("NOT A REQUEST\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n", 413),
            ("GET / HTTP/1.1\r\nX: " + String(repeating: "y", count: 2000) + "\r\n\r\n", 431),
        ] {
            let client = try fixture.client()
            client.send(request)
            #expect(try client.response().head.status == status, "for \(request.prefix(20))")
        }
        let client = try fixture.client()
        client.send("POST /echo HTTP/1.1\r\nContent-Length: 2\r\n\r\nok")
        #expect(try client.response().body == Array("ok".utf8))
    }

    @Test func expectContinueGetsA100ThenTheResponse() throws {
        let fixture = try ProxyFixture()
        defer { fixture.stop() }
        let client = try fixture.client()
        client.send("POST /echo HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        var interim = [UInt8](repeating: 0, count: 25)
        let count = interim.withUnsafeMutableBytes { read(client.fd, $0.baseAddress, 25) }
        #expect(String(decoding: interim[0..<max(0, count)], as: UTF8.self) == "HTTP/1.1 100 Continue\r\n\r\n")
        client.send("ping")
        #expect(try client.response().body == Array("ping".utf8))
    }

    @Test func http10ClientsGetACloseDelimitedStream() throws {
        let fixture = try ProxyFixture()
        defer { fixture.stop() }
        let client = try fixture.client()
        fixture.upstream.streamGate.signal()
        client.send("GET /stream HTTP/1.0\r\n\r\n")
        let response = try client.response()
        #expect(response.head.headers["transfer-encoding"] == nil)
        #expect(String(decoding: response.body, as: UTF8.self) == "data: first\n\ndata: second\n\n")
    }
}
