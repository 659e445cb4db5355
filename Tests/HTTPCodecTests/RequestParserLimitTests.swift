import HTTPCodec
import Testing

/// A GET head of exactly `length` bytes, padded with one header value.
private func head(ofLength length: Int) -> String {
    let frame = "GET / HTTP/1.1\r\nX: \r\n\r\n"
    return "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: length - frame.utf8.count) + "\r\n\r\n"
}

private func paddedGet(_ length: Int) -> HTTPRequestPart {
    let padding = String(repeating: "a", count: length - "GET / HTTP/1.1\r\nX: \r\n\r\n".utf8.count)
    return .head(HTTPRequestHead(method: "GET", target: "/", headers: HTTPHeaders([("X", padding)])))
}

private let smallHead = HTTPParserLimits(maxHeaderBytes: 100, maxBodyBytes: 10)

private func post(_ headers: [(String, String)]) -> HTTPRequestPart {
    .head(HTTPRequestHead(method: "POST", target: "/", headers: HTTPHeaders(headers)))
}

let limitRequests: [RequestCase] = [
    RequestCase(
        name: "head of exactly maxHeaderBytes", input: head(ofLength: 100),
        expected: Outcome([paddedGet(100), .end]), limits: smallHead),
    RequestCase(
        name: "head one byte over maxHeaderBytes", input: head(ofLength: 101),
        expected: Outcome([], error: .headerTooLarge), limits: smallHead),
    RequestCase(
        name: "unterminated head of maxHeaderBytes fails before it ends (it can no longer fit)",
        input: "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 81),
        expected: Outcome([], error: .headerTooLarge), limits: smallHead),
    RequestCase(
        name: "unterminated head one byte short of maxHeaderBytes waits",
        input: "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 80),
        expected: Outcome([]), limits: smallHead),
    RequestCase(
        name: "empty lines before the head do not count against the limit",
        input: String(repeating: "\r\n", count: 200) + head(ofLength: 100),
        expected: Outcome([paddedGet(100), .end]), limits: smallHead),
    RequestCase(
        name: "Content-Length of exactly maxBodyBytes", input: "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789",
        expected: Outcome([post([("Content-Length", "10")]), .body(body("0123456789")), .end]), limits: smallHead),
    RequestCase(
        name: "Content-Length one over maxBodyBytes is refused instead of the head",
        input: "POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n",
        expected: Outcome([], error: .bodyTooLarge), limits: smallHead),
    RequestCase(
        name: "chunked total of exactly maxBodyBytes",
        input: "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n0123\r\n6\r\n456789\r\n0\r\n\r\n",
        expected: Outcome([post([("Transfer-Encoding", "chunked")]), .body(body("0123456789")), .end]),
        limits: smallHead),
    RequestCase(
        name: "chunked total one over maxBodyBytes fails at the size line",
        input: "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n0123\r\n7\r\n4567890\r\n0\r\n\r\n",
        expected: Outcome([post([("Transfer-Encoding", "chunked")]), .body(body("0123"))], error: .bodyTooLarge),
        limits: smallHead),
    RequestCase(
        name: "trailers over maxHeaderBytes",
        input: "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + String(repeating: "t", count: 100),
        expected: Outcome([post([("Transfer-Encoding", "chunked")])], error: .headerTooLarge),
        limits: smallHead),
]

@Suite("Request parser: limits")
struct RequestParserLimitTests {
    @Test(arguments: limitRequests, Feeding.allCases)
    func enforces(_ testCase: RequestCase, _ feeding: Feeding) {
        let outcome = ParserReplay.request(Array(ascii: testCase.input), feeding, limits: testCase.limits)
        #expect(outcome == testCase.expected)
    }

    @Test func defaultLimits() {
        let limits = HTTPParserLimits()
        #expect(limits.maxHeaderBytes == 64 * 1024)
        #expect(limits.maxBodyBytes == 64 * 1024 * 1024)
    }

    /// The head must be found without rescanning: a 60 KiB head fed one byte at a time finishes.
    @Test func largeHeadByteByByte() {
        let input = Array(ascii: head(ofLength: 60_000))
        let outcome = ParserReplay.request(input, .byteByByte)
        #expect(outcome == Outcome([paddedGet(60_000), .end]))
    }
}
