import HTTPCodec
import Testing

/// One upstream byte stream and everything the response parser must yield from it.
struct ResponseCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var methods: [String] = []
    var closeAtEnd = false
    var expected: Outcome<HTTPResponsePart>

    var testDescription: String { name }
}

private func head(_ status: Int, _ headers: [(String, String)] = [], version: HTTPVersion = .http1_1, reason: String? = nil) -> HTTPResponsePart {
    .head(HTTPResponseHead(version: version, status: status, reason: reason, headers: HTTPHeaders(headers)))
}

let responses: [ResponseCase] = [
    ResponseCase(
        name: "Content-Length body",
        input: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
        expected: Outcome([head(200, [("Content-Type", "application/json"), ("Content-Length", "2")]), .body(body("{}")), .end])),
    ResponseCase(
        name: "chunked body (server-sent events)",
        input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "f\r\ndata: {\"a\":1}\n\n\r\n10\r\ndata: [DONE]\n\n\n\n\r\n0\r\n\r\n",
        expected: Outcome([
            head(200, [("Transfer-Encoding", "chunked")]), .body(body("data: {\"a\":1}\n\ndata: [DONE]\n\n\n\n")), .end,
        ])),
    ResponseCase(
        name: "close-delimited body ends when the upstream closes",
        input: "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end", closeAtEnd: true,
        expected: Outcome([head(200, [("Connection", "close")]), .body(body("until the end")), .end])),
    ResponseCase(
        name: "close-delimited body is open while the upstream is",
        input: "HTTP/1.0 200 OK\r\n\r\npartial",
        expected: Outcome([head(200, version: .http1_0), .body(body("partial"))])),
    ResponseCase(
        name: "answer to HEAD has no body despite Content-Length",
        input: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
        methods: ["HEAD", "GET"],
        expected: Outcome([
            head(200, [("Content-Length", "5")]), .end,
            head(200, [("Content-Length", "2")]), .body(body("hi")), .end,
        ])),
    ResponseCase(
        name: "204 and 304 have no body",
        input: "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\nHTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
        expected: Outcome([
            head(204, [("Content-Length", "3")]), .end, head(304, [("Transfer-Encoding", "chunked")]), .end,
        ])),
    ResponseCase(
        name: "100 Continue then 200: the interim response is skipped",
        input: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk",
        expected: Outcome([head(200, [("Content-Length", "1")]), .body(body("k")), .end])),
    ResponseCase(
        name: "101 is handed out, with no body",
        input: "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
        expected: Outcome([head(101, [("Upgrade", "websocket")]), .end])),
    ResponseCase(
        name: "status line without reason, or with an empty one",
        input: "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\nHTTP/1.1 599 \r\nContent-Length: 0\r\n\r\n",
        expected: Outcome([head(200, [("Content-Length", "0")], reason: ""), .end, head(599, [("Content-Length", "0")], reason: ""), .end])),
    ResponseCase(
        name: "reason phrase as sent",
        input: "HTTP/1.1 404 Nope, not here\r\nContent-Length: 0\r\n\r\n",
        expected: Outcome([head(404, [("Content-Length", "0")], reason: "Nope, not here"), .end])),
    ResponseCase(
        name: "bodies are not limited by maxBodyBytes",
        input: "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n",
        expected: Outcome([head(200, [("Content-Length", "100000000")])])),
    ResponseCase(
        name: "idle upstream closing is not an error", input: "", closeAtEnd: true, expected: Outcome([])),
    ResponseCase(
        name: "closing after a complete response is not an error",
        input: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk\r\n", closeAtEnd: true,
        expected: Outcome([head(200, [("Content-Length", "1")]), .body(body("k")), .end])),
    ResponseCase(
        name: "closing mid-head", input: "HTTP/1.1 200 OK\r\nContent-", closeAtEnd: true,
        expected: Outcome([], error: .unexpectedEnd)),
    ResponseCase(
        name: "closing mid Content-Length body", input: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc", closeAtEnd: true,
        expected: Outcome([head(200, [("Content-Length", "5")]), .body(body("abc"))], error: .unexpectedEnd)),
    ResponseCase(
        name: "closing mid chunked body", input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n",
        closeAtEnd: true,
        expected: Outcome([head(200, [("Transfer-Encoding", "chunked")]), .body(body("abc"))], error: .unexpectedEnd)),
    ResponseCase(
        name: "status code of two digits", input: "HTTP/1.1 20 OK\r\n\r\n", expected: Outcome([], error: .malformedStatusLine)),
    ResponseCase(
        name: "status code not numeric", input: "HTTP/1.1 2x0 OK\r\n\r\n", expected: Outcome([], error: .malformedStatusLine)),
    ResponseCase(
        name: "status code below 100", input: "HTTP/1.1 099 OK\r\n\r\n", expected: Outcome([], error: .malformedStatusLine)),
    ResponseCase(
        name: "no space after the status code", input: "HTTP/1.1 200OK\r\n\r\n", expected: Outcome([], error: .malformedStatusLine)),
    ResponseCase(
        name: "not HTTP", input: "HTP/1.1 200 OK\r\n\r\n", expected: Outcome([], error: .malformedStatusLine)),
    ResponseCase(
        name: "control character in the reason", input: "HTTP/1.1 200 O\u{1}K\r\n\r\n",
        expected: Outcome([], error: .malformedStatusLine)),
    ResponseCase(
        name: "HTTP/2.0 status line", input: "HTTP/2.0 200 OK\r\n\r\n", expected: Outcome([], error: .unsupportedVersion)),
    ResponseCase(
        name: "malformed header", input: "HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n", expected: Outcome([], error: .malformedHeader)),
    ResponseCase(
        name: "both Content-Length and Transfer-Encoding",
        input: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        expected: Outcome([], error: .conflictingFraming)),
    ResponseCase(
        name: "invalid chunk", input: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n",
        expected: Outcome([head(200, [("Transfer-Encoding", "chunked")])], error: .invalidChunk)),
]

@Suite("Response parser")
struct ResponseParserTests {
    @Test(arguments: responses, Feeding.allCases)
    func parses(_ testCase: ResponseCase, _ feeding: Feeding) {
        let outcome = ParserReplay.response(
            Array(ascii: testCase.input), feeding, methods: testCase.methods, closeAtEnd: testCase.closeAtEnd)
        #expect(outcome == testCase.expected)
    }

    @Test func headerTooLargeAtOneByteOverTheLimit() {
        let limits = HTTPParserLimits(maxHeaderBytes: 64, maxBodyBytes: 1)
        func response(padding: Int) -> [UInt8] {
            Array(ascii: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX: " + String(repeating: "v", count: padding) + "\r\n\r\n")
        }
        #expect(response(padding: 21).count == 64)
        let fits = ParserReplay.response(response(padding: 21), .byteByByte, limits: limits)
        #expect(fits.error == nil && fits.parts.count == 2)
        let tooLarge = ParserReplay.response(response(padding: 22), .byteByByte, limits: limits)
        #expect(tooLarge == Outcome([], error: .headerTooLarge))
    }

    @Test func reportsWhenTheBodyRunsUntilClose() throws {
        var parser = HTTPResponseParser()
        var buffer = ByteBuffer(Array(ascii: "HTTP/1.1 200 OK\r\n\r\n"))
        _ = try parser.next(&buffer)
        #expect(parser.readsUntilClose)

        var framed = HTTPResponseParser()
        var framedBuffer = ByteBuffer(Array(ascii: "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n"))
        _ = try framed.next(&framedBuffer)
        #expect(!framed.readsUntilClose)
    }

    @Test func headAnswerDoesNotLeakIntoTheNextResponse() throws {
        var parser = HTTPResponseParser()
        var buffer = ByteBuffer(Array(ascii: "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"))
        parser.expectResponse(toMethod: "HEAD")
        #expect(try parser.next(&buffer) == head(200, [("Content-Length", "4")]))
        #expect(try parser.next(&buffer) == .end)
        // No expectResponse call: the next response is read as an answer to a request with a body.
        #expect(try parser.next(&buffer) == head(200, [("Content-Length", "2")]))
        #expect(try parser.next(&buffer) == .body(body("hi")))
    }
}
