import Foundation

/// The JSON error body the server writes on its own (`{"error": {message, type, code}}`, the
/// shape OpenAI clients parse), for failures that happen below the application.
public enum ErrorResponseBody {
    public static func json(message: String, type: String, code: String) -> [UInt8] {
        Array("{\"error\":{\"message\":\(quoted(message)),\"type\":\(quoted(type)),\"code\":\(quoted(code))}}".utf8)
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
