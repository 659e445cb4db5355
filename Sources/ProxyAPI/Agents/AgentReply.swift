import Foundation
import HTTPCodec
import ProxyHTTP
import ProxyJSON

/// An agent's text answered as a chat completion any OpenAI client accepts: one JSON object, or
/// SSE chunks ending with `data: [DONE]` when the request asked to stream.
enum AgentReply {
    static func send(_ text: String, model: String, stream: Bool, to responder: HTTPResponder) {
        let id = "chatcmpl-agent-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let created = Int(Date().timeIntervalSince1970)
        guard stream else {
            let body = JSONValue.object([
                ("id", .string(id)), ("object", .string("chat.completion")), ("created", .int(created)),
                ("model", .string(model)),
                ("choices", .array([.object([
                    ("index", .int(0)),
                    ("message", .object([("role", .string("assistant")), ("content", .string(text))])),
                    ("finish_reason", .string("stop")),
                ])])),
                ("usage", .object([("prompt_tokens", .int(0)), ("completion_tokens", .int(0)), ("total_tokens", .int(0))])),
            ]).serialized()
            responder.respond(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: body)
            return
        }
        func chunk(delta: JSONValue, finish: JSONValue) -> [UInt8] {
            let event = JSONValue.object([
                ("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .int(created)),
                ("model", .string(model)),
                ("choices", .array([.object([("index", .int(0)), ("delta", delta), ("finish_reason", finish)])])),
            ]).serialized()
            return Array("data: ".utf8) + event + Array("\n\n".utf8)
        }
        responder.sendHead(HTTPResponseHead(status: 200, headers: HTTPHeaders([
            ("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"),
        ])))
        responder.sendBody(chunk(delta: .object([("role", .string("assistant")), ("content", .string(text))]), finish: .null)[...])
        responder.sendBody(chunk(delta: .object([]), finish: .string("stop"))[...])
        responder.sendBody(Array("data: [DONE]\n\n".utf8)[...])
        responder.finish()
    }
}
