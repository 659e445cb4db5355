import Foundation
import Glibc
import HTTPCodec
import Synchronization
import Testing

@testable import ProxyHTTP

/// A live body on a real server: bytes pushed from another thread reach a reading client as
/// chunks; a client that stops reading is dropped once the bound is overfilled, and the server
/// keeps answering others meanwhile.
@Suite(.serialized) struct LiveBodyStreamTests {
    /// `/live` starts a live body (kept in `streams`); anything else gets a small 200.
    final class Handler: HTTPRequestHandler {
        let bufferLimit: Int
        let streams = Mutex<[LiveBodyStream]>([])
        let ended = DispatchSemaphore(value: 0)

        init(bufferLimit: Int) { self.bufferLimit = bufferLimit }

        func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
            guard request.head.path == "/live" else {
                responder.respond(status: 200, body: Array("ok".utf8))
                return
            }
            let stream = LiveBodyStream(responder: responder, bufferLimit: bufferLimit)
            stream.send(Array("queued before the head\n".utf8))
            streams.withLock { $0.append(stream) }
            let ended = self.ended
            stream.start(head: HTTPResponseHead(status: 200, headers: ["Content-Type": "text/plain"]),
                         initial: Array("history\n".utf8)) { ended.signal() }
        }

        /// Waits (generously) until `count` streams started.
        func stream(_ index: Int) throws -> LiveBodyStream {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if let stream = streams.withLock({ $0.count > index ? $0[index] : nil }) { return stream }
                usleep(2_000)
            }
            throw TestFailure("stream \(index) never started")
        }
    }

    private func serve(_ handler: Handler, _ body: (HTTPServer) throws -> Void) throws {
        let group = EventLoopGroup(count: 1)
        defer { group.stop() }
        let timeouts = ServerConnectionStateMachine.Timeouts(requestHeader: 30_000_000_000, keepAlive: 300_000_000_000)
        let server = try HTTPServer(configuration: .init(host: "127.0.0.1", port: 0, limits: HTTPParserLimits(), timeouts: timeouts),
                                    group: group, handler: handler)
        defer { server.stopAccepting() }
        try body(server)
    }

    @Test func pushedBytesArriveInOrderAndFinishEndsTheBody() throws {
        let handler = Handler(bufferLimit: 1 << 20)
        try serve(handler) { server in
            let client = try BlockingTestClient(port: server.port)
            client.send("GET /live HTTP/1.1\r\nHost: x\r\n\r\n")
            let stream = try handler.stream(0)
            let sender = Thread {
                for index in 0..<100 { stream.send(Array("line \(index)\n".utf8)) }
                stream.finish()
            }
            sender.start()
            let response = try client.response()
            #expect(response.head.status == 200)
            #expect(response.head.headers["transfer-encoding"] == "chunked")
            let expected = "history\nqueued before the head\n" + (0..<100).map { "line \($0)\n" }.joined()
            #expect(String(decoding: response.body, as: UTF8.self) == expected)
            #expect(handler.ended.wait(timeout: .now() + 30) == .success)
            #expect(stream.send([1]) == false)
        }
    }

    @Test func aClientThatStopsReadingIsDroppedAndOthersAreStillServed() throws {
        let handler = Handler(bufferLimit: 64 << 10)
        try serve(handler) { server in
            let stalled = try BlockingTestClient(port: server.port)
            var small: Int32 = 4096
            setsockopt(stalled.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            stalled.send("GET /live HTTP/1.1\r\nHost: x\r\n\r\n")
            let stream = try handler.stream(0)
            // Far more than the kernel's buffers, the connection's high-water mark and the bound
            // together: the stream must give up on the client instead of holding it all.
            let line = [UInt8](repeating: UInt8(ascii: "x"), count: 1023) + [UInt8(ascii: "\n")]
            var accepted = 0
            for _ in 0..<(256 << 10) {
                guard stream.send(line) else { break }
                accepted += 1
            }
            #expect(accepted < 256 << 10, "never refused: the stalled client was not dropped")
            #expect(handler.ended.wait(timeout: .now() + 30) == .success)
            #expect(stream.isOver && stream.wasDropped)
            let other = try BlockingTestClient(port: server.port)
            other.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try other.response().head.status == 200)
        }
    }

    @Test func aClientThatLeavesEndsTheStream() throws {
        let handler = Handler(bufferLimit: 1 << 20)
        try serve(handler) { server in
            var client: BlockingTestClient? = try BlockingTestClient(port: server.port)
            client?.send("GET /live HTTP/1.1\r\nHost: x\r\n\r\n")
            let stream = try handler.stream(0)
            client = nil  // closes the socket
            #expect(handler.ended.wait(timeout: .now() + 30) == .success)
            #expect(stream.send([1]) == false)
        }
    }
}
