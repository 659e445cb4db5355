import Foundation
import HTTPCodec
import Synchronization
import Testing

@testable import ProxyHTTP

/// A response read back in this process: what a handler writes through its responder arrives as
/// head, body pieces and one end; cancelling is its client leaving.
@Suite struct InProcessResponseTests {
    final class Recorder: @unchecked Sendable {
        let lock = Mutex<(status: Int?, body: [UInt8], ends: [Bool])>((nil, [], []))
        let ended = DispatchSemaphore(value: 0)

        func events() -> InProcessResponse.Events {
            InProcessResponse.Events(
                head: { head in self.lock.withLock { $0.status = head.status } },
                body: { piece in self.lock.withLock { $0.body += piece } },
                end: { complete in
                    self.lock.withLock { $0.ends.append(complete) }
                    self.ended.signal()
                })
        }

        var status: Int? { lock.withLock { $0.status } }
        var text: String { lock.withLock { String(decoding: $0.body, as: UTF8.self) } }
        var ends: [Bool] { lock.withLock { $0.ends } }
    }

    /// Runs `write` with a fresh in-process responder on a loop; returns what was read back.
    func run(_ write: @escaping @Sendable (HTTPResponder, InProcessResponse) -> Void) throws -> Recorder {
        let group = EventLoopGroup(count: 1)
        defer { group.stop() }
        let recorder = Recorder()
        let holder = Mutex<InProcessResponse?>(nil)
        group.loops[0].execute {
            let response = InProcessResponse(
                loop: group.loops[0], requestHead: HTTPRequestHead(method: "POST", target: "/x", headers: [:]),
                events: recorder.events())
            holder.withLock { $0 = response }
            write(response.responder, response)
        }
        try #require(recorder.ended.wait(timeout: .now() + 5) == .success)
        Thread.sleep(forTimeInterval: 0.05)  // anything after the end would show up here
        return recorder
    }

    @Test func aWholeResponseArrivesAsHeadBodyAndACompleteEnd() throws {
        let recorder = try run { responder, _ in
            responder.respond(status: 201, headers: ["Content-Type": "text/plain"], body: Array("hello".utf8))
        }
        #expect(recorder.status == 201)
        #expect(recorder.text == "hello")
        #expect(recorder.ends == [true])
    }

    @Test func aStreamedResponseArrivesPieceByPieceDecodedFromItsChunks() throws {
        let recorder = try run { responder, _ in
            responder.sendHead(HTTPResponseHead(status: 200, headers: ["Content-Type": "text/event-stream"]))
            for index in 1...3 { responder.sendBody(Array("data: \(index)\n\n".utf8)[...]) }
            responder.finish()
        }
        #expect(recorder.status == 200)
        #expect(recorder.text == "data: 1\n\ndata: 2\n\ndata: 3\n\n")
        #expect(recorder.ends == [true])
    }

    @Test func anAbortedResponseEndsIncomplete() throws {
        let recorder = try run { responder, _ in
            responder.sendHead(HTTPResponseHead(status: 200, headers: [:]))
            responder.sendBody(Array("part".utf8)[...])
            responder.abort()
        }
        #expect(recorder.text == "part")
        #expect(recorder.ends == [false])
    }

    @Test func cancellingIsTheClientLeavingAndNothingArrivesAfterIt() throws {
        let gone = Mutex(0)
        let recorder = try run { responder, response in
            responder.onClientGone = { gone.withLock { $0 += 1 } }
            responder.sendHead(HTTPResponseHead(status: 200, headers: [:]))
            responder.sendBody(Array("before".utf8)[...])
            response.cancel()
            #expect(responder.isClientGone)
            responder.sendBody(Array("after".utf8)[...])
            responder.finish()
            response.cancel()
        }
        #expect(gone.withLock { $0 } == 1)
        #expect(recorder.text == "before")
        #expect(recorder.ends == [false])
    }
}
