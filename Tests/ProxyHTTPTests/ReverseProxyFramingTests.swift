import Foundation
import HTTPCodec
import Testing

@testable import ProxyHTTP

/// Message boundaries through the proxy: pipelined requests, and responses that have no body.
/// Each test ends with a request on the same connection, which only parses if nothing was left over.
@Suite struct ReverseProxyFramingTests {
    func withTestbed(_ body: (ProxyTestbed) throws -> Void) throws {
        let testbed = try ProxyTestbed()
        defer { testbed.stop() }
        try body(testbed)
    }

    func expectConnectionStillServes(_ client: BlockingTestClient) throws {
        client.send("POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nafter")
        #expect(try client.response().body == Array("after".utf8))
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withTestbed { testbed in
            let client = try testbed.client()
            // The first answer is the slowest; a proxy that answered as the upstream finished
            // would put it last.
            client.send(
                "POST /delay/80 HTTP/1.1\r\nContent-Length: 3\r\n\r\none"
                    + "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\ntwo"
                    + "GET /bulk/70000 HTTP/1.1\r\n\r\n"
                    + "HEAD /echo HTTP/1.1\r\n\r\n"
                    + "POST /delay/10 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfive!\r\n0\r\n\r\n")
            #expect(try client.response().body == Array("one".utf8))
            #expect(try client.response().body == Array("two".utf8))
            var verifier = BulkPattern.Verifier()
            verifier.check(try client.response().body[...])
            #expect(verifier.offset == 70000 && verifier.mismatchAt == nil)
            #expect(try client.response(method: "HEAD").body.isEmpty)
            #expect(try client.response().body == Array("five!".utf8))
            try expectConnectionStillServes(client)
        }
    }

    @Test func aHeadRequestGetsTheHeadersWithoutABody() throws {
        try withTestbed { testbed in
            let client = try testbed.client()
            client.send("HEAD /text/42 HTTP/1.1\r\n\r\n")
            let fixed = try client.response(method: "HEAD")
            #expect(fixed.head.status == 200)
            // The length a GET would have had, with none of its bytes.
            #expect(fixed.head.headers["content-length"] == "42")
            #expect(fixed.body.isEmpty)
            // A streamed answer to HEAD must not announce chunks it will never send.
            client.send("HEAD /bulk/1000 HTTP/1.1\r\n\r\n")
            let streamed = try client.response(method: "HEAD")
            #expect(streamed.head.status == 200)
            #expect(streamed.head.headers["transfer-encoding"] == nil)
            #expect(streamed.body.isEmpty)
            try expectConnectionStillServes(client)
        }
    }

    @Test(arguments: [204, 304])
    func aBodilessStatusPassesThroughAndKeepsTheConnection(_ status: Int) throws {
        try withTestbed { testbed in
            let client = try testbed.client()
            client.send("GET /status/\(status) HTTP/1.1\r\n\r\n")
            let response = try client.response()
            #expect(response.head.status == status)
            #expect(response.body.isEmpty)
            #expect(response.head.headers["transfer-encoding"] == nil)
            // RFC 9110 §8.6: no Content-Length on a 204 at all; on a 304 only the real one.
            #expect(response.head.headers["content-length"] == nil)
            if status == 304 { #expect(response.head.headers["etag"] == "\"v1\"") }
            try expectConnectionStillServes(client)
        }
    }
}
