import Dispatch
import Glibc
import HTTPCodec
import Testing

@testable import ProxyHTTP

/// Pipelined requests on a real socket: answered in order by a loop, not by recursion (10,000
/// synchronous answers in one write used to overflow the stack), and after a response that
/// waits, and with a client that does not read its answers.
@Suite struct HTTPServerPipeliningTests {
    /// Writes `text` from another thread, so the test can read the answers while it is sent.
    func sendInBackground(_ client: BlockingTestClient, _ text: String) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let bytes = Array(text.utf8)
        let fd = client.fd
        DispatchQueue.global().async {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if written <= 0 { break }
                offset += written
            }
            done.signal()
        }
        return done
    }

    @Test func tenThousandPipelinedRequestsInOneWriteAreAllAnsweredInOrder() throws {
        let fixture = try ProxyFixture()
        defer { fixture.stop() }
        let client = try BlockingTestClient(port: fixture.upstreamServer.port)
        let count = 10_000
        var requests = ""
        for index in 0..<count { requests += "GET /nope\(index) HTTP/1.1\r\nHost: x\r\n\r\n" }
        let sent = sendInBackground(client, requests)
        for _ in 0..<count {
            let response = try client.response()
            #expect(response.head.status == 404)
        }
        sent.wait()
        #expect(fixture.upstream.requestsSeen.withLock { $0.map(\.head.target) } == (0..<count).map { "/nope\($0)" })
    }

    @Test func pipelinedRequestsBehindOneThatWaitsAreAnsweredAfterIt() throws {
        let fixture = try ProxyFixture()
        defer { fixture.stop() }
        let client = try BlockingTestClient(port: fixture.upstreamServer.port)
        var requests = "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"
        for _ in 0..<3_000 { requests += "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n" }
        let sent = sendInBackground(client, requests)
        fixture.upstream.streamGate.signal()
        let streamed = try client.response()
        #expect(streamed.head.status == 200)
        #expect(String(decoding: streamed.body, as: UTF8.self) == "data: first\n\ndata: second\n\n")
        for _ in 0..<3_000 { #expect(try client.response().head.status == 404) }
        sent.wait()
    }

    @Test func aPipeliningClientThatNeverReadsDoesNotStallOthers() throws {
        let fixture = try ProxyFixture()
        defer { fixture.stop() }
        let flooder = try BlockingTestClient(port: fixture.upstreamServer.port)
        // 2,000 echoes of 16 KiB: 32 MiB of answers, far more than the kernel's socket buffers.
        let count = 2_000
        let body = String(repeating: "x", count: 16 * 1024)
        let request = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        _ = sendInBackground(flooder, String(repeating: request, count: count))  // blocks once buffers are full
        // The server stops taking this client's requests once its answers pile up...
        var seen = 0
        for _ in 0..<200 {
            usleep(10_000)
            let now = fixture.upstream.requestsSeen.withLock { $0.count }
            if now == seen && now > 0 { break }
            seen = now
        }
        #expect(seen > 0 && seen < count, "handled \(seen) of \(count) pipelined requests from a client that reads nothing")
        // ...and everyone else is served as usual.
        let other = try BlockingTestClient(port: fixture.upstreamServer.port)
        other.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi")
        let answer = try other.response()
        #expect(answer.head.status == 200 && answer.body == Array("hi".utf8))
        shutdown(flooder.fd, Int32(SHUT_RDWR))
    }
}
