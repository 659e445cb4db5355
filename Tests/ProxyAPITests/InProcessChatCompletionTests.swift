import Dispatch
import HTTPCodec
import ProxyHTTP
import Synchronization
import Testing

@testable import ProxyAPI

/// `complete_chat` through the router in process: the router's answer reaches the agent as it
/// was written (status and body), a request always goes as non-streaming and marked as the
/// proxy's own, and an answer past `limits.max_body_bytes` is stopped with a 502.
@Suite struct InProcessChatCompletionTests {
    /// Answers every request with `status` and `body`, and keeps the requests it saw.
    final class AnsweringHandler: HTTPRequestHandler, @unchecked Sendable {
        let status: Int
        let body: [UInt8]
        private let seen = Mutex<[HTTPServerRequest]>([])
        var requests: [HTTPServerRequest] { seen.withLock { $0 } }

        init(status: Int, body: String) {
            self.status = status
            self.body = Array(body.utf8)
        }

        func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
            seen.withLock { $0.append(request) }
            responder.respond(status: status, headers: HTTPHeaders([("Content-Type", "application/json")]), body: body)
        }
    }

    static func complete(_ request: String, handler: AnsweringHandler, limit: Int = 1 << 20) -> (Int, String) {
        let group = EventLoopGroup(count: 1)
        defer { group.stop() }
        let route = InProcessRoute(credentialToken: "secret", maxAnswerBytes: limit)
        route.attach(handler: handler, group: group)
        let answer = Mutex<(Int, String)>((0, ""))
        InProcessChatCompletion(route: route).complete(request) { status, body in answer.withLock { $0 = (status, body) } }
        return answer.withLock { $0 }
    }

    @Test func theRoutersAnswerReachesTheAgentAsWritten() throws {
        let handler = AnsweringHandler(status: 200, body: #"{"choices":[]}"#)
        let (status, body) = Self.complete(#"{"model":"m","stream":true,"messages":[]}"#, handler: handler)
        #expect(status == 200 && body == #"{"choices":[]}"#)
        let request = try #require(handler.requests.first)
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"model":"m","stream":false,"messages":[]}"#)
        #expect(request.head.headers[LoopbackCredential.headerName] == "secret")
        let error = Self.complete(#"{"model":"nope"}"#, handler: AnsweringHandler(status: 404, body: #"{"error":{}}"#))
        #expect(error == (404, #"{"error":{}}"#))
    }

    @Test func anAnswerPastTheLimitIsStoppedWith502() {
        let handler = AnsweringHandler(status: 200, body: String(repeating: "x", count: 100))
        let (status, body) = Self.complete(#"{"model":"m"}"#, handler: handler, limit: 10)
        #expect(status == 502)
        #expect(body.contains("answer_too_large") && body.contains("limits.max_body_bytes (10 bytes)"))
    }

    @Test func aRequestThatIsNotAJSONObjectIsRefusedBeforeItIsSent() {
        let handler = AnsweringHandler(status: 200, body: "{}")
        let (status, body) = Self.complete("[1,2]", handler: handler)
        #expect(status == 400 && body.contains("complete_chat"))
        #expect(handler.requests.isEmpty)
    }
}
