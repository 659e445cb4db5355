import HTTPCodec
import Testing

/// One input and everything the request parser must yield from it.
struct RequestCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var expected: Outcome<HTTPRequestPart>
    var limits = HTTPParserLimits()

    var testDescription: String { name }
}

private func get(_ target: String = "/", _ version: HTTPVersion = .http1_1, _ headers: [(String, String)] = []) -> HTTPRequestPart {
    .head(HTTPRequestHead(method: "GET", target: target, version: version, headers: HTTPHeaders(headers)))
}

private func post(_ target: String, _ headers: [(String, String)]) -> HTTPRequestPart {
    .head(HTTPRequestHead(method: "POST", target: target, headers: HTTPHeaders(headers)))
}

let validRequests: [RequestCase] = [
    RequestCase(
        name: "GET without body",
        input: "GET /v1/models HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\n\r\n",
        expected: Outcome([get("/v1/models", .http1_1, [("Host", "localhost:8080"), ("Accept", "*/*")]), .end])),
    RequestCase(
        name: "POST with Content-Length",
        input: "POST /v1/chat/completions HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"model\":\"m\"}",
        expected: Outcome([
            post("/v1/chat/completions", [("Content-Type", "application/json"), ("Content-Length", "13")]),
            .body(body("{\"model\":\"m\"}")), .end,
        ])),
    RequestCase(
        name: "Content-Length 0 has no body part",
        input: "POST /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
        expected: Outcome([post("/a", [("Content-Length", "0")]), .end])),
    RequestCase(
        name: "identical Content-Length values are one length",
        input: "POST /a HTTP/1.1\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nhi",
        expected: Outcome([post("/a", [("Content-Length", "2, 2"), ("Content-Length", "2")]), .body(body("hi")), .end])),
    RequestCase(
        name: "chunked with extensions and trailers",
        input: "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\n6 ; name=\"v\"\r\n world\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n",
        expected: Outcome([post("/c", [("Transfer-Encoding", "chunked")]), .body(body("hello world")), .end])),
    RequestCase(
        name: "chunked with upper-case hex, mixed-case coding and bare LF",
        input: "POST /c HTTP/1.1\nTransfer-Encoding: Chunked\n\nA\n0123456789\n0\n\n",
        expected: Outcome([post("/c", [("Transfer-Encoding", "Chunked")]), .body(body("0123456789")), .end])),
    RequestCase(
        name: "bare LF line endings",
        input: "GET /a HTTP/1.0\nHost: x\n\n",
        expected: Outcome([get("/a", .http1_0, [("Host", "x")]), .end])),
    RequestCase(
        name: "empty lines before the request line are skipped",
        input: "\r\n\n\r\nGET / HTTP/1.1\r\n\r\n",
        expected: Outcome([get(), .end])),
    RequestCase(
        name: "values lose optional whitespace, keep inner whitespace, may be empty",
        input: "GET / HTTP/1.1\r\nX-A:  a \t b \t\r\nX-Empty:\r\nX-Spaces:   \r\n\r\n",
        expected: Outcome([get("/", .http1_1, [("X-A", "a \t b"), ("X-Empty", ""), ("X-Spaces", "")]), .end])),
    RequestCase(
        name: "UTF-8 in a value and a target",
        input: "GET /caf\u{e9}?q=\u{1F999} HTTP/1.1\r\nX-Name: Zo\u{eb}\r\n\r\n",
        expected: Outcome([get("/caf\u{e9}?q=\u{1F999}", .http1_1, [("X-Name", "Zo\u{eb}")]), .end])),
    RequestCase(
        name: "absolute-form and asterisk-form targets",
        input: "GET http://example.com/x HTTP/1.1\r\n\r\nOPTIONS * HTTP/1.1\r\n\r\n",
        expected: Outcome([
            get("http://example.com/x"), .end,
            .head(HTTPRequestHead(method: "OPTIONS", target: "*")), .end,
        ])),
    RequestCase(
        name: "pipelined requests, with a stray CRLF after a body",
        input: "GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc\r\n"
            + "POST /3 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\nGET /4 HTTP/1.1\r\n\r\n",
        expected: Outcome([
            get("/1"), .end,
            post("/2", [("Content-Length", "3")]), .body(body("abc")), .end,
            post("/3", [("Transfer-Encoding", "chunked")]), .body(body("z")), .end,
            get("/4"), .end,
        ])),
    RequestCase(
        name: "incomplete head yields nothing yet",
        input: "GET / HTTP/1.1\r\nHost: a\r\n",
        expected: Outcome([])),
    RequestCase(
        name: "incomplete body yields what arrived",
        input: "POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
        expected: Outcome([post("/a", [("Content-Length", "10")]), .body(body("abc"))])),
    RequestCase(
        name: "incomplete chunk yields what arrived",
        input: "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc",
        expected: Outcome([post("/a", [("Transfer-Encoding", "chunked")]), .body(body("abc"))])),
]

@Suite("Request parser: valid input")
struct RequestParserTests {
    @Test(arguments: validRequests, Feeding.allCases)
    func parses(_ testCase: RequestCase, _ feeding: Feeding) {
        let outcome = ParserReplay.request(Array(ascii: testCase.input), feeding, limits: testCase.limits)
        #expect(outcome == testCase.expected)
    }

    @Test func leavesPipelinedBytesInTheBuffer() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(Array(ascii: "POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET /next"))
        #expect(try parser.next(&buffer) == post("/", [("Content-Length", "2")]))
        #expect(try parser.next(&buffer) == .body(body("hi")))
        #expect(try parser.next(&buffer) == .end)
        #expect(Array(buffer.readableView) == Array(ascii: "GET /next"))
        #expect(try parser.next(&buffer) == nil)
    }

    @Test func bodyIsHandedOutAsItArrivesNotWhenComplete() throws {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(Array(ascii: "POST / HTTP/1.1\r\nContent-Length: 6\r\n\r\nabc"))
        _ = try parser.next(&buffer)
        #expect(try parser.next(&buffer) == .body(body("abc")))
        #expect(try parser.next(&buffer) == nil)
        buffer.append(Array(ascii: "def"))
        #expect(try parser.next(&buffer) == .body(body("def")))
        #expect(try parser.next(&buffer) == .end)
    }
}
