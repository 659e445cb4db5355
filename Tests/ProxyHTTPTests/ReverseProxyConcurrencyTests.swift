import Foundation
import Synchronization
import Testing

@testable import ProxyHTTP

/// Many clients at once, each with several keep-alive requests, over both event loops.
@Suite struct ReverseProxyConcurrencyTests {
    @Test func twoHundredClientsAtOnceAllGetTheirOwnAnswers() throws {
        let clientsPerThread = 50, threads = 4, rounds = 4
        let testbed = try ProxyTestbed()
        defer { testbed.stop() }
        let failures = Mutex<[String]>([])
        let finished = DispatchSemaphore(value: 0)
        for thread in 0..<threads {
            Thread {
                defer { finished.signal() }
                do {
                    let clients = try (0..<clientsPerThread).map { _ in try testbed.client() }
                    for round in 0..<rounds {
                        // All requests of a round go out before any answer is read, so every
                        // connection has one in flight; odd rounds wait upstream to overlap more.
                        let target = round % 2 == 0 ? "/echo" : "/delay/20"
                        for (index, client) in clients.enumerated() {
                            let body = "thread \(thread) client \(index) round \(round)"
                            client.send("POST \(target) HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                        }
                        for (index, client) in clients.enumerated() {
                            let body = try String(decoding: client.response().body, as: UTF8.self)
                            let expected = "thread \(thread) client \(index) round \(round)"
                            if body != expected { failures.withLock { $0.append("got \"\(body)\" for \"\(expected)\"") } }
                        }
                    }
                } catch {
                    failures.withLock { $0.append("thread \(thread): \(error)") }
                }
            }.start()
        }
        for _ in 0..<threads { finished.wait() }

        #expect(failures.withLock { $0 } == [])
        let outcomes = testbed.forwarder.outcomes(count: threads * clientsPerThread * rounds)
        #expect(outcomes.count == threads * clientsPerThread * rounds)
        #expect(outcomes.allSatisfy { if case .completed(200, _) = $0 { true } else { false } })
    }
}
