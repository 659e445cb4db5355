import ProxyJSON

/// The JSON error body the server writes on its own (`{"error": {message, type, code}}`, the
/// shape OpenAI clients parse), for failures that happen below the application.
public enum ErrorResponseBody {
    public static func json(message: String, type: String, code: String) -> [UInt8] {
        JSONValue.object([
            ("error", .object([("message", .string(message)), ("type", .string(type)), ("code", .string(code))]))
        ]).serialized()
    }
}
