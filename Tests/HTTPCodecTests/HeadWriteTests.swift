import HTTPCodec
import Testing

@Suite("Writing heads")
struct HeadWriteTests {
    @Test func requestHeadBytes() {
        let head = HTTPRequestHead(
            method: "POST", target: "/v1/chat/completions",
            headers: HTTPHeaders([("Host", "127.0.0.1:9000"), ("Content-Length", "2")]))
        var output: [UInt8] = []
        head.write(into: &output)
        #expect(output == Array(ascii: "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nContent-Length: 2\r\n\r\n"))
    }

    @Test func responseHeadBytesAppendToExistingOutput() {
        let head = HTTPResponseHead(version: .http1_0, status: 503, headers: HTTPHeaders([("Retry-After", "1")]))
        var output = Array(ascii: "before|")
        head.write(into: &output)
        #expect(output == Array(ascii: "before|HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\n\r\n"))
    }

    @Test(arguments: [
        HTTPRequestHead(method: "GET", target: "/"),
        HTTPRequestHead(method: "DELETE", target: "/a?b=c", version: .http1_0, headers: HTTPHeaders([("Connection", "keep-alive")])),
        HTTPRequestHead(
            method: "POST", target: "/v1/completions",
            headers: HTTPHeaders([("Host", "h"), ("X-Dup", "1"), ("x-dup", "2"), ("Empty", ""), ("Content-Length", "0")])),
    ])
    func requestRoundTrip(_ head: HTTPRequestHead) throws {
        var output: [UInt8] = []
        head.write(into: &output)
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(output)
        #expect(try parser.next(&buffer) == .head(head))
        #expect(try parser.next(&buffer) == .end)
        #expect(buffer.isEmpty)
    }

    @Test(arguments: [
        HTTPResponseHead(status: 200, headers: HTTPHeaders([("Content-Length", "0")])),
        HTTPResponseHead(version: .http1_0, status: 404, reason: "Gone Fishing", headers: HTTPHeaders([("Content-Length", "0")])),
        HTTPResponseHead(status: 204, headers: HTTPHeaders([("Server", "llama"), ("Date", "Tue, 25 Nov 2025 13:00:00 GMT")])),
        HTTPResponseHead(status: 299, headers: HTTPHeaders([("Content-Length", "0")])),
    ])
    func responseRoundTrip(_ head: HTTPResponseHead) throws {
        var output: [UInt8] = []
        head.write(into: &output)
        var parser = HTTPResponseParser()
        var buffer = ByteBuffer(output)
        #expect(try parser.next(&buffer) == .head(head))
        #expect(try parser.next(&buffer) == .end)
    }

    @Test(arguments: [(200, "OK"), (404, "Not Found"), (413, "Content Too Large"), (431, "Request Header Fields Too Large"),
                      (502, "Bad Gateway"), (503, "Service Unavailable"), (299, "")])
    func reasonPhrases(_ status: Int, _ phrase: String) {
        #expect(HTTPStatus.reasonPhrase(status) == phrase)
        #expect(HTTPResponseHead(status: status).reason == phrase)
    }

    @Test func versionDescription() {
        #expect(HTTPVersion.http1_1.description == "HTTP/1.1")
        #expect(HTTPVersion.http1_0 == HTTPVersion(major: 1, minor: 0))
    }
}
