import HTTPCodec
import ProxyHTTP
import ProxyJSON

/// An error answered the way OpenAI clients expect: `{"error": {"message", "type", "code"}}`.
struct OpenAIError: Error, Sendable {
    var status: Int
    var message: String
    var type: String
    var code: String
    /// Sent as `Retry-After` when set.
    var retryAfterSeconds: Int? = nil

    static func invalidRequest(_ message: String, code: String) -> OpenAIError {
        OpenAIError(status: 400, message: message, type: "invalid_request_error", code: code)
    }

    func send(to responder: HTTPResponder) {
        let body = JSONValue.object([
            ("error", .object([("message", .string(message)), ("type", .string(type)), ("code", .string(code))]))
        ]).serialized()
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        if let retryAfterSeconds { headers.add(name: "Retry-After", value: String(retryAfterSeconds)) }
        responder.respond(status: status, headers: headers, body: body)
    }
}
