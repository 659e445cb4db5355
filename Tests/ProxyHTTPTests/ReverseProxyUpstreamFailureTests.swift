import Foundation
import HTTPCodec
import Testing

@testable import ProxyHTTP

/// Upstreams that misbehave: the client must never mistake a broken answer for a whole one.
@Suite struct ReverseProxyUpstreamFailureTests {
    @Test func anUpstreamDyingMidChunkedStreamCutsTheClientOff() throws {
        try withScriptedUpstream([{ connection in
            connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\ndata: 1\r\n")
            Thread.sleep(forTimeInterval: 0.05)
            connection.close()
        }]) { _, testbed in
            let client = try testbed.client()
            client.send("GET /events HTTP/1.1\r\n\r\n")
            guard case .head(let head) = try client.nextPart() else { throw TestFailure("no head") }
            #expect(head.status == 200)
            #expect(try client.nextPart() == .body(Array("data: 1".utf8)[...]))
            // No last chunk: the client's parser must see a truncated body, not an end.
            #expect(throws: HTTPParseError.self) { try client.nextPart() }
            #expect(testbed.forwarder.outcomes(count: 1) == [.upstreamFailed(UpstreamError.closedEarly.description)])
        }
    }

    @Test func anUpstreamDyingMidEventStreamEndsItWithAnErrorEventAndTheLastChunk() throws {
        try withScriptedUpstream([{ connection in
            connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "9\r\ndata: 1\n\n\r\n4\r\ndata\r\n")
            Thread.sleep(forTimeInterval: 0.05)
            connection.close()
        }]) { _, testbed in
            let client = try testbed.client()
            client.send("POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
            let response = try client.response(method: "POST")
            #expect(response.head.status == 200)
            #expect(response.head.headers["transfer-encoding"] == "chunked")
            // The half event is closed, then one error event: a well-formed, finished body.
            let error = String(decoding: ErrorResponseBody.json(
                message: UpstreamError.closedEarly.description, type: "server_error", code: "upstream_error"), as: UTF8.self)
            #expect(String(decoding: response.body, as: UTF8.self) == "data: 1\n\ndata\n\ndata: \(error)\n\n")
            #expect(testbed.forwarder.outcomes(count: 1) == [.upstreamFailed(UpstreamError.closedEarly.description)])
            // The framing stayed intact, so the client's connection serves the next request
            // (the script answers it the same way).
            client.send("GET /again HTTP/1.1\r\n\r\n")
            #expect(try client.response().head.status == 200)
        }
    }

    @Test func anEventStreamWithAContentLengthIsCutOffAsBefore() throws {
        try withScriptedUpstream([{ connection in
            connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 100\r\n\r\ndata: 1\n\n")
            Thread.sleep(forTimeInterval: 0.05)
            connection.close()
        }]) { _, testbed in
            let client = try testbed.client()
            client.send("GET /events HTTP/1.1\r\n\r\n")
            guard case .head(let head) = try client.nextPart() else { throw TestFailure("no head") }
            #expect(head.headers["content-length"] == "100")
            #expect(try client.nextPart() == .body(Array("data: 1\n\n".utf8)[...]))
            #expect(throws: HTTPParseError.self) { try client.nextPart() }
        }
    }

    @Test func anUpstreamDyingShortOfItsContentLengthCutsTheClientOff() throws {
        try withScriptedUpstream([{ connection in
            connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b")
            Thread.sleep(forTimeInterval: 0.05)
            connection.close()
        }]) { _, testbed in
            let client = try testbed.client()
            client.send("GET /file HTTP/1.1\r\n\r\n")
            guard case .head(let head) = try client.nextPart() else { throw TestFailure("no head") }
            #expect(head.headers["content-length"] == "100")
            #expect(try client.nextPart() == .body(Array("only ten b".utf8)[...]))
            #expect(throws: HTTPParseError.self) { try client.nextPart() }
        }
    }

    @Test func anUpstreamClosingBeforeAnsweringIsA502AndIsNotRetried() throws {
        try withScriptedUpstream([{ connection in
            connection.readRequest()
            connection.close()
        }]) { upstream, testbed in
            let client = try testbed.client()
            client.send("POST /v1/completions HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
            let response = try client.response()
            #expect(response.head.status == 502)
            #expect(response.head.headers["content-type"] == "application/json")
            let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: [String: String]]
            #expect(json?["error"]?["code"] == "upstream_error")
            #expect(json?["error"]?["message"] == UpstreamError.closedEarly.description)
            // A fresh connection proves nothing about staleness, so the request went out once.
            #expect(upstream.connectionCount == 1)
            // The client's own connection is still good.
            client.send("GET /again HTTP/1.1\r\n\r\n")
            #expect(try client.response().head.status == 502)
        }
    }

    @Test(arguments: [
        "garbage that is not http\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
    ])
    func anUpstreamSendingAGarbledHeadIsA502(_ garbage: String) throws {
        try withScriptedUpstream([{ connection in
            connection.readRequest()
            connection.write(garbage)
            connection.readRequest()  // hold the connection open until the proxy drops it
        }]) { _, testbed in
            let client = try testbed.client()
            client.send("GET /x HTTP/1.1\r\n\r\n")
            let response = try client.response()
            #expect(response.head.status == 502)
            #expect(String(decoding: response.body, as: UTF8.self).contains("malformed"))
        }
    }

    @Test func garbageInsideAChunkedBodyCutsTheClientOff() throws {
        try withScriptedUpstream([{ connection in
            connection.readRequest()
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\nzz\r\n")
            connection.readRequest()
        }]) { _, testbed in
            let client = try testbed.client()
            client.send("GET /x HTTP/1.1\r\n\r\n")
            guard case .head(let head) = try client.nextPart() else { throw TestFailure("no head") }
            #expect(head.status == 200)
            #expect(try client.nextPart() == .body(Array("ok".utf8)[...]))
            #expect(throws: HTTPParseError.self) { try client.nextPart() }
            guard case .upstreamFailed(let reason)? = testbed.forwarder.outcomes(count: 1).first else {
                throw TestFailure("the proxy did not report the upstream failure")
            }
            #expect(reason.contains("malformed"))
        }
    }

    @Test func aRefusedTCPConnectionIsA502ThatSaysSo() throws {
        let listener = try TCPListener.bind(host: "127.0.0.1", port: 0)
        close(listener.fd)  // nothing listens on this port any more
        let testbed = try ProxyTestbed(upstream: .address(.tcp(host: "127.0.0.1", port: listener.port)))
        defer { testbed.stop() }
        let client = try testbed.client()
        client.send("GET /v1/models HTTP/1.1\r\n\r\n")
        let response = try client.response()
        #expect(response.head.status == 502)
        let message = String(decoding: response.body, as: UTF8.self)
        #expect(message.contains("cannot connect to upstream 127.0.0.1:\(listener.port)"), "\(message)")
    }
}
