import Foundation
import HTTPCodec
import Testing

@testable import ProxyHTTP

/// Pooled upstream connections that die: the proxy notices idle closes, retries a request once
/// when a reused connection was closed under it, and never retries anything else.
@Suite struct ReverseProxyKeepAliveRetryTests {
    func post(_ client: BlockingTestClient, _ target: String, _ body: String) throws -> (status: Int, body: String) {
        client.send("POST \(target) HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let response = try client.response()
        return (response.head.status, String(decoding: response.body, as: UTF8.self))
    }

    @Test func aRequestOnAConnectionTheUpstreamJustClosedIsRetriedOnAFreshOne() throws {
        try withScriptedUpstream([
            { connection in
                connection.readRequest()
                connection.respond("first")
                // The upstream gives up on this connection just as the proxy reuses it: it reads
                // the next request and closes without a word.
                connection.readRequest()
                connection.close()
            },
            { connection in
                connection.readRequest()
                connection.respond("second")
                connection.readRequest()
            },
        ]) { upstream, testbed in
            let client = try testbed.client()
            #expect(try post(client, "/a", "1") == (200, "first"))
            #expect(try post(client, "/b", "2") == (200, "second"))
            #expect(upstream.log.withLock { $0 } == ["1 POST /a 1", "1 POST /b 2", "2 POST /b 2"])
            #expect(testbed.forwarder.outcomes(count: 2) == [.completed(status: 200, bytes: 5), .completed(status: 200, bytes: 6)])
        }
    }

    @Test func aRetryThatFailsAgainIsA502NotASecondRetry() throws {
        try withScriptedUpstream([
            { connection in
                connection.readRequest()
                connection.respond("first")
                connection.readRequest()
                connection.close()
            },
            { connection in
                connection.readRequest()
                connection.close()
            },
        ]) { upstream, testbed in
            let client = try testbed.client()
            #expect(try post(client, "/a", "1") == (200, "first"))
            #expect(try post(client, "/b", "2").status == 502)
            #expect(upstream.connectionCount == 2)
            #expect(upstream.log.withLock { $0 }.count == 3)
        }
    }

    @Test func anIdleConnectionTheUpstreamClosedDoesNotFailTheNextRequest() throws {
        try withScriptedUpstream([
            { connection in
                connection.readRequest()
                connection.respond("first")
                connection.close()  // no "Connection: close": the proxy must notice the close itself
            },
            { connection in
                connection.readRequest()
                connection.respond("second")
                connection.readRequest()
            },
        ]) { upstream, testbed in
            let client = try testbed.client()
            #expect(try post(client, "/a", "1") == (200, "first"))
            Thread.sleep(forTimeInterval: 0.1)
            #expect(try post(client, "/b", "2") == (200, "second"))
            // Whether the pool saw the close while idle or the retry caught it, the request went
            // to the upstream once, on a new connection.
            #expect(upstream.log.withLock { $0 } == ["1 POST /a 1", "2 POST /b 2"])
        }
    }

    @Test func anUpstreamAskingToCloseIsNotReused() throws {
        try withScriptedUpstream([
            { connection in
                connection.readRequest()
                connection.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nfirst")
                connection.readRequest()  // a proxy that reused this would hang here, unanswered
            },
            { connection in
                connection.readRequest()
                connection.respond("second")
                connection.readRequest()
            },
        ]) { upstream, testbed in
            let client = try testbed.client()
            #expect(try post(client, "/a", "1") == (200, "first"))
            #expect(try post(client, "/b", "2") == (200, "second"))
            #expect(upstream.log.withLock { $0 } == ["1 POST /a 1", "2 POST /b 2"])
        }
    }

    @Test func anUpstreamThatGoesSilentIsA504AfterTheIdleTimeout() throws {
        try withScriptedUpstream([{ connection in
            connection.readRequest()
            connection.readRequest()  // never answers; returns when the proxy gives up and closes
        }], upstreamIdleTimeout: 0.3) { _, testbed in
            let client = try testbed.client()
            let started = Date()
            client.send("GET /slow HTTP/1.1\r\n\r\n")
            let response = try client.response()
            #expect(response.head.status == 504)
            #expect(String(decoding: response.body, as: UTF8.self).contains("upstream_timeout"))
            #expect(Date().timeIntervalSince(started) >= 0.3)
        }
    }
}
