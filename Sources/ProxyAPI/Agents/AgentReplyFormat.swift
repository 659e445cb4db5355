import Foundation
import HTTPCodec
import ProxyHTTP
import ProxyJSON

/// How an agent's answer looks to an OpenAI client: one `chat.completion`, or
/// `chat.completion.chunk` events ending with `data: [DONE]` when the request asked to stream.
/// One id and creation time per answer.
struct AgentReplyFormat: Sendable {
    let id: String
    let created: Int
    let model: String

    init(model: String) {
        self.model = model
        id = "chatcmpl-agent-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        created = Int(WallClock.now().unixSeconds)
    }

    static let jsonHeaders = HTTPHeaders([("Content-Type", "application/json")])
    static let streamHead = HTTPResponseHead(status: 200, headers: HTTPHeaders([
        ("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"),
    ]))
    static let done = Array("data: [DONE]\n\n".utf8)

    /// The whole answer as one `chat.completion`.
    func whole(_ text: String) -> [UInt8] {
        JSONValue.object([
            ("id", .string(id)), ("object", .string("chat.completion")), ("created", .int(created)),
            ("model", .string(model)),
            ("choices", .array([.object([
                ("index", .int(0)),
                ("message", .object([("role", .string("assistant")), ("content", .string(text))])),
                ("finish_reason", .string("stop")),
            ])])),
            ("usage", .object([("prompt_tokens", .int(0)), ("completion_tokens", .int(0)), ("total_tokens", .int(0))])),
        ]).serialized()
    }

    /// The first event of a stream: the role, with the first text.
    func firstChunk(_ text: String) -> [UInt8] {
        chunk(delta: .object([("role", .string("assistant")), ("content", .string(text))]), finish: .null)
    }

    func contentChunk(_ text: String) -> [UInt8] {
        chunk(delta: .object([("content", .string(text))]), finish: .null)
    }

    /// The last event before `[DONE]`.
    var stopChunk: [UInt8] { chunk(delta: .object([]), finish: .string("stop")) }

    /// An error that ends a stream already under way, in the shape OpenAI streams errors.
    static func errorEvent(_ error: OpenAIError) -> [UInt8] {
        ServerSentEventStream.dataEvent(error.body)
    }

    private func chunk(delta: JSONValue, finish: JSONValue) -> [UInt8] {
        let event = JSONValue.object([
            ("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .int(created)),
            ("model", .string(model)),
            ("choices", .array([.object([("index", .int(0)), ("delta", delta), ("finish_reason", finish)])])),
        ]).serialized()
        return ServerSentEventStream.dataEvent(event)
    }
}
