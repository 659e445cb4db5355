import HTTPCodec
import Testing

private func failing(_ name: String, _ input: String, _ error: HTTPParseError, after parts: [HTTPRequestPart] = []) -> RequestCase {
    RequestCase(name: name, input: input, expected: Outcome(parts, error: error))
}

private let chunkedHead = HTTPRequestPart.head(
    HTTPRequestHead(method: "POST", target: "/", headers: HTTPHeaders([("Transfer-Encoding", "chunked")])))
private let chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"

let malformedRequests: [RequestCase] = [
    failing("bare CR before the request line", "\rGET / HTTP/1.1\r\n\r\n", .malformedRequestLine),
    failing("bare CR inside the request line", "GET / HTTP/1.1\rX: y\r\n\r\n", .malformedRequestLine),
    failing("two spaces after the method", "GET  / HTTP/1.1\r\n\r\n", .malformedRequestLine),
    failing("space after the version", "GET / HTTP/1.1 \r\n\r\n", .malformedRequestLine),
    failing("method is not a token", "G(T / HTTP/1.1\r\n\r\n", .malformedRequestLine),
    failing("space inside the target", "GET /a b HTTP/1.1\r\n\r\n", .malformedRequestLine),
    failing("control character in the target", "GET /\u{01} HTTP/1.1\r\n\r\n", .malformedRequestLine),
    failing("DEL in the target", "GET /\u{7F} HTTP/1.1\r\n\r\n", .malformedRequestLine),
    failing("lower-case protocol name", "GET / http/1.1\r\n\r\n", .malformedRequestLine),
    failing("HTTP/0.9 style line without version", "GET /\r\n\r\n", .malformedRequestLine),
    failing("two-digit minor version", "GET / HTTP/1.10\r\n\r\n", .malformedRequestLine),
    failing("HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", .unsupportedVersion),
    failing("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", .unsupportedVersion),
    failing("HTTP/1.2", "GET / HTTP/1.2\r\n\r\n", .unsupportedVersion),
    failing("header without colon", "GET / HTTP/1.1\r\nHost a\r\n\r\n", .malformedHeader),
    failing("space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", .malformedHeader),
    failing("obsolete line folding", "GET / HTTP/1.1\r\nX: a\r\n  b\r\n\r\n", .malformedHeader),
    failing("non-token name", "GET / HTTP/1.1\r\nX@Y: a\r\n\r\n", .malformedHeader),
    failing("empty name", "GET / HTTP/1.1\r\n: a\r\n\r\n", .malformedHeader),
    failing("CR inside a value", "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", .malformedHeader),
    failing("NUL inside a value", "GET / HTTP/1.1\r\nX: a\u{0}b\r\n\r\n", .malformedHeader),
    failing(
        "Content-Length with Transfer-Encoding",
        "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc", .conflictingFraming),
    failing("non-digit Content-Length", "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", .invalidContentLength),
    failing("Content-Length with plus sign", "POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n", .invalidContentLength),
    failing("negative Content-Length", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
    failing("space inside Content-Length", "POST / HTTP/1.1\r\nContent-Length: 1 0\r\n\r\n", .invalidContentLength),
    failing("empty Content-Length", "POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", .invalidContentLength),
    failing("differing Content-Length list", "POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n", .invalidContentLength),
    failing(
        "differing Content-Length fields",
        "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .invalidContentLength),
    failing(
        "overflowing Content-Length",
        "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", .invalidContentLength),
    failing("gzip only", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding),
    failing("chunked not last", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", .unsupportedTransferEncoding),
    failing("gzip under chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding),
    failing(
        "chunked twice",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", .unsupportedTransferEncoding),
    failing("empty Transfer-Encoding", "POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n", .unsupportedTransferEncoding),
    failing("chunk size not hex", chunked + "zz\r\n", .invalidChunk, after: [chunkedHead]),
    failing("chunk size missing", chunked + "\r\n", .invalidChunk, after: [chunkedHead]),
    failing("negative chunk size", chunked + "-5\r\n", .invalidChunk, after: [chunkedHead]),
    failing("chunk size with junk after it", chunked + "5x\r\nhello\r\n", .invalidChunk, after: [chunkedHead]),
    failing("chunk size of 16 hex digits", chunked + "1000000000000000\r\n", .invalidChunk, after: [chunkedHead]),
    failing(
        "chunk data not followed by CRLF", chunked + "5\r\nhelloXX", .invalidChunk,
        after: [chunkedHead, .body(body("hello"))]),
    failing(
        "chunk data followed by a bare CR", chunked + "5\r\nhello\rX", .invalidChunk,
        after: [chunkedHead, .body(body("hello"))]),
    failing(
        "overlong chunk size line", chunked + "5;" + String(repeating: "e", count: 5000) + "\r\n", .invalidChunk,
        after: [chunkedHead]),
    failing("malformed trailer", chunked + "0\r\nnot a trailer\r\n\r\n", .invalidChunk, after: [chunkedHead]),
]

@Suite("Request parser: errors")
struct RequestParserErrorTests {
    @Test(arguments: malformedRequests, Feeding.allCases)
    func rejects(_ testCase: RequestCase, _ feeding: Feeding) {
        let outcome = ParserReplay.request(Array(ascii: testCase.input), feeding, limits: testCase.limits)
        #expect(outcome == testCase.expected)
    }

    @Test func anErrorIsRepeatedOnEveryLaterCall() {
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(Array(ascii: "GET / HTTP/9.9\r\n\r\n"))
        #expect(throws: HTTPParseError.unsupportedVersion) { try parser.next(&buffer) }
        buffer.append(Array(ascii: "GET / HTTP/1.1\r\n\r\n"))
        #expect(throws: HTTPParseError.unsupportedVersion) { try parser.next(&buffer) }
    }

    @Test(arguments: [
        (HTTPParseError.headerTooLarge, 431), (.bodyTooLarge, 413), (.malformedRequestLine, 400),
        (.malformedStatusLine, 502), (.malformedHeader, 400), (.unsupportedVersion, 505),
        (.conflictingFraming, 400), (.invalidContentLength, 400), (.unsupportedTransferEncoding, 501),
        (.invalidChunk, 400), (.unexpectedEnd, 400),
    ])
    func statusAndMessage(_ error: HTTPParseError, _ status: Int) {
        #expect(error.status == status)
        #expect(error.message.count > 20 && error.message.hasSuffix("."))
    }
}
