import HTTPCodec
import ProxyHTTP
import ProxyJSON

/// An error answered the way OpenAI clients expect: `{"error": {"message", "type", "code"}}`.
struct OpenAIError: Error, Sendable {
    var status: Int
    var message: String
    var type: String
    var code: String
    /// Sent with the error's response (e.g. `WWW-Authenticate` on a 401).
    var headers = HTTPHeaders()

    static func invalidRequest(_ message: String, code: String) -> OpenAIError {
        OpenAIError(status: 400, message: message, type: "invalid_request_error", code: code)
    }

    /// What OpenAI answers for a missing or wrong key alike: it does not say which part was wrong.
    static let invalidAPIKey = OpenAIError(
        status: 401, message: "Incorrect API key provided.", type: "invalid_request_error", code: "invalid_api_key",
        headers: HTTPHeaders([("WWW-Authenticate", "Bearer")]))

    /// `{"error": {...}}` as JSON bytes.
    var body: [UInt8] {
        JSONValue.object([
            ("error", .object([("message", .string(message)), ("type", .string(type)), ("code", .string(code))]))
        ]).serialized()
    }

    func send(to responder: HTTPResponder) {
        var headers = headers
        headers.add(name: "Content-Type", value: "application/json")
        responder.respond(status: status, headers: headers, body: body)
    }
}
