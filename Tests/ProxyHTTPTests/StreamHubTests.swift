import Foundation
import Glibc
import HTTPCodec
import Synchronization
import Testing
@testable import ProxyHTTP

@Suite struct EventBacklogTests {
    @Test func eventsComeOutInOrderAndTheBoundIsKept() {
        var backlog = EventBacklog(limit: 3)
        let kept = [backlog.push([1]), backlog.push([2]), backlog.push([3]), backlog.push([4])]
        #expect(kept == [true, true, true, false])  // a fourth: the client is too far behind
        #expect(backlog.count == 3)
        #expect(backlog.take() == [1])
        let pushed = backlog.push([5])
        #expect(pushed)
        let taken = [backlog.take(), backlog.take(), backlog.take(), backlog.take()]
        #expect(taken == [[2], [3], [5], nil])
        #expect(backlog.isEmpty)
    }

    @Test func aLongRunStaysBoundedAndOrdered() {
        var backlog = EventBacklog(limit: 100)
        var next: UInt8 = 0
        var expected: UInt8 = 0
        for round in 0..<1000 {
            for _ in 0..<(round % 7) where backlog.push([next]) { next &+= 1 }
            for _ in 0..<(round % 5) {
                guard let event = backlog.take() else { break }
                #expect(event == [expected])
                expected &+= 1
            }
            #expect(backlog.count <= 100)
        }
    }
}

/// Every request subscribes to the hub, with a first event of `snapshot`.
private struct Subscribing: HTTPRequestHandler {
    let hub: StreamHub

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        hub.subscribe(responder, first: StreamHub.event(data: Array("snapshot".utf8)))
    }
}

/// A server whose every request subscribes to one hub, on loopback.
private struct HubFixture {
    let group = EventLoopGroup(count: 1)
    let hub: StreamHub
    let server: HTTPServer

    init(bufferLimit: Int = 16, heartbeatSeconds: Double = 3600) throws {
        hub = StreamHub(bufferLimit: bufferLimit, heartbeatSeconds: heartbeatSeconds)
        let timeouts = ServerConnectionStateMachine.Timeouts(requestHeader: 5_000_000_000, keepAlive: 30_000_000_000)
        server = try HTTPServer(configuration: .init(host: "127.0.0.1", port: 0, limits: HTTPParserLimits(), timeouts: timeouts),
                                group: group, handler: Subscribing(hub: hub))
    }

    func subscribe(receiveBuffer: Int32? = nil) throws -> BlockingTestClient {
        let client = try BlockingTestClient(port: server.port)
        if var size = receiveBuffer { setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        return client
    }

    /// Waits (generously) until `condition` holds.
    func waitUntil(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while !condition() && Date() < deadline { usleep(10_000) }
        return condition()
    }

    func stop() {
        server.stopAccepting()
        group.stop()
    }
}

/// Reads a stream's body until `text` has arrived; returns everything read. Only the new bytes
/// (and the text's length before them) are searched each time, so a long stream reads fast.
private func read(_ client: BlockingTestClient, until text: String) throws -> String {
    let needle = Array(text.utf8)
    var seen: [UInt8] = []
    var searchedUpTo = 0
    while true {
        let from = max(0, searchedUpTo - needle.count)
        if seen.count - from >= needle.count,
           (from...(seen.count - needle.count)).contains(where: { seen[$0..<($0 + needle.count)].elementsEqual(needle) }) {
            return String(decoding: seen, as: UTF8.self)
        }
        searchedUpTo = seen.count
        guard let part = try client.nextPart() else { throw TestFailure("stream closed after \(seen.count) bytes") }
        switch part {
        case .head(let head):
            #expect(head.status == 200)
            #expect(head.headers["content-type"] == "text/event-stream")
        case .body(let bytes): seen += bytes
        case .end: throw TestFailure("stream ended after \(seen.count) bytes")
        }
    }
}

@Suite struct StreamHubTests {
    @Test func theFirstEventComesFirstThenWhatIsPublished() throws {
        let fixture = try HubFixture()
        defer { fixture.stop() }
        let client = try fixture.subscribe()
        #expect(fixture.waitUntil { fixture.hub.subscribers == 1 })
        let first = try read(client, until: "data: snapshot\n\n")
        #expect(first == "data: snapshot\n\n")
        fixture.hub.publish(StreamHub.event(data: Array("one".utf8)))
        fixture.hub.publish(StreamHub.event(data: Array("two\nlines".utf8)))
        #expect(try read(client, until: "data: lines\n\n") == "data: one\n\ndata: two\ndata: lines\n\n")
    }

    @Test func aClientThatLeavesIsRemoved() throws {
        let fixture = try HubFixture()
        defer { fixture.stop() }
        var client: BlockingTestClient? = try fixture.subscribe()
        _ = try read(client!, until: "snapshot")
        client = nil  // closes the socket
        _ = client
        // The loop sees the close when it next reads or writes: publishing makes it write.
        #expect(fixture.waitUntil {
            fixture.hub.publish(StreamHub.comment("ping"))
            return fixture.hub.subscribers == 0
        })
    }

    @Test func aClientThatNeverReadsIsDroppedAndTheOthersKeepGettingEvents() throws {
        let fixture = try HubFixture(bufferLimit: 64)
        defer { fixture.stop() }
        let stalled = try fixture.subscribe(receiveBuffer: 32 * 1024)
        // The reader takes everything, on a thread of its own, until "after"; the test publishes
        // the next burst only when it has read the last, so it is never far behind, however
        // loaded the machine.
        let readerBytes = Atomic<Int>(0)
        let readerResult = Mutex<Result<String, any Error>?>(nil)
        Thread {
            let result = Result {
                let client = try fixture.subscribe()
                var tail: [UInt8] = []
                while true {
                    guard let part = try client.nextPart() else { throw TestFailure("the reader's stream closed") }
                    guard case .body(let bytes) = part else { continue }
                    readerBytes.add(bytes.count, ordering: .relaxed)
                    tail = Array((tail + bytes).suffix(64))
                    if String(decoding: tail, as: UTF8.self).hasSuffix("data: after\n\n") { return String(decoding: tail, as: UTF8.self) }
                }
            }
            readerResult.withLock { $0 = result }
        }.start()
        #expect(fixture.waitUntil { fixture.hub.subscribers == 2 })
        // 64 KiB events: the stalled client's socket and the server's output queue fill up, then its backlog.
        let big = StreamHub.event(data: [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024))
        var published = 0
        #expect(fixture.waitUntil {
            for _ in 0..<4 { fixture.hub.publish(big) }
            published += 4
            let expected = published * big.count
            _ = fixture.waitUntil { readerBytes.load(ordering: .relaxed) >= expected }
            return fixture.hub.subscribers == 1 || published > 4_000
        })
        #expect(fixture.hub.subscribers == 1)
        fixture.hub.publish(StreamHub.event(data: Array("after".utf8)))
        #expect(fixture.waitUntil { readerResult.withLock { $0 != nil } })
        let tail = try #require(readerResult.withLock { $0 }).get()
        #expect(tail.hasSuffix("data: after\n\n"))
        #expect(readerBytes.load(ordering: .relaxed) >= published * big.count)
        // The stalled one's connection was closed: reading it to the end finds no "after".
        var rest: [UInt8] = []
        reading: while let part = try? stalled.nextPart() {
            switch part {
            case .head: continue
            case .body(let bytes): rest += bytes
            case .end: break reading
            }
        }
        #expect(rest.starts(with: Array("data: snapshot\n\n".utf8)))
        #expect(!String(decoding: rest.suffix(64), as: UTF8.self).contains("after"))
    }

    @Test func aHeartbeatKeepsAnIdleStreamBusy() throws {
        let fixture = try HubFixture(heartbeatSeconds: 0.05)
        defer { fixture.stop() }
        let client = try fixture.subscribe()
        #expect(try read(client, until: ": heartbeat\n\n").hasPrefix("data: snapshot\n\n"))
    }

    @Test func finishAllEndsEveryStreamAndThoseThatStartLater() throws {
        let fixture = try HubFixture()
        defer { fixture.stop() }
        let client = try fixture.subscribe()
        _ = try read(client, until: "data: snapshot\n\n")
        fixture.hub.finishAll()
        #expect(fixture.hub.subscribers == 0)
        #expect(try client.nextPart() == .end)  // a proper end of the body, not a cut connection
        let late = try fixture.subscribe()
        _ = try read(late, until: "data: snapshot\n\n")
        #expect(try late.nextPart() == .end)
        #expect(fixture.hub.subscribers == 0)
    }
}
