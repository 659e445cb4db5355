/// A JSON value as text, built without writing JSON by hand: `.string("x")`, `.number(0.7)`,
/// `.object(["type": .string("json_object")])`, or `.raw(...)` for text you already have.
public struct JSONFragment: Sendable, Equatable {
    /// The value's JSON text.
    public let json: String

    /// Text that is already JSON; the host refuses the patch if it is not.
    public static func raw(_ json: String) -> JSONFragment { JSONFragment(json: json) }
    public static func string(_ value: String) -> JSONFragment { JSONFragment(json: quoted(value)) }
    public static func bool(_ value: Bool) -> JSONFragment { JSONFragment(json: value ? "true" : "false") }
    public static func int(_ value: Int) -> JSONFragment { JSONFragment(json: String(value)) }
    /// JSON has no NaN or infinity: those become null.
    public static func number(_ value: Double) -> JSONFragment {
        JSONFragment(json: value.isFinite ? "\(value)" : "null")
    }
    public static func array(_ elements: [JSONFragment]) -> JSONFragment {
        JSONFragment(json: "[" + elements.map(\.json).joined(separator: ",") + "]")
    }
    /// Members sorted by name, so the same object always has the same text.
    public static func object(_ members: [String: JSONFragment]) -> JSONFragment {
        JSONFragment(json: "{" + members.sorted { $0.key < $1.key }.map { quoted($0.key) + ":" + $0.value.json }
            .joined(separator: ",") + "}")
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
