import HTTPCodec
import Testing

@Suite("Request head: keep-alive and 100-continue")
struct RequestHeadSemanticsTests {
    @Test(arguments: [
        (HTTPVersion.http1_1, nil, true),
        (.http1_1, "close", false),
        (.http1_1, "Close", false),
        (.http1_1, "keep-alive", true),
        (.http1_1, "Upgrade, close", false),
        (.http1_0, nil, false),
        (.http1_0, "keep-alive", true),
        (.http1_0, "Keep-Alive", true),
        (.http1_0, "keep-alive, close", false),
        (.http1_0, "close", false),
    ] as [(HTTPVersion, String?, Bool)])
    func keepAlive(_ version: HTTPVersion, _ connection: String?, _ expected: Bool) {
        var headers = HTTPHeaders()
        if let connection { headers.add(name: "Connection", value: connection) }
        #expect(HTTPRequestHead(method: "GET", target: "/", version: version, headers: headers).keepAlive == expected)
        #expect(HTTPResponseHead(version: version, status: 200, headers: headers).keepAlive == expected)
    }

    @Test(arguments: [
        (HTTPVersion.http1_1, "100-continue", true),
        (.http1_1, "100-Continue", true),
        (.http1_1, "something-else", false),
        (.http1_1, nil, false),
        (.http1_0, "100-continue", false),
    ] as [(HTTPVersion, String?, Bool)])
    func expectsContinue(_ version: HTTPVersion, _ expect: String?, _ expected: Bool) {
        var headers = HTTPHeaders([("Content-Length", "5")])
        if let expect { headers.add(name: "Expect", value: expect) }
        #expect(HTTPRequestHead(method: "POST", target: "/", version: version, headers: headers).expectsContinue == expected)
    }

    @Test func parsedExpectContinueHeadArrivesBeforeTheBody() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(Array(ascii: "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"))
        guard case .head(let head)? = try parser.next(&buffer) else {
            Issue.record("expected the head")
            return
        }
        #expect(head.expectsContinue)
        #expect(try parser.next(&buffer) == nil)
        buffer.append(Array(ascii: "ok"))
        #expect(try parser.next(&buffer) == .body(body("ok")))
        #expect(try parser.next(&buffer) == .end)
    }
}
