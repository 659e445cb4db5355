import ProxyJSON

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

    /// `text` as a JSON string literal, written by the proxy's own JSON writer (ProxyJSON).
    static func quoted(_ text: String) -> String {
        JSONValue.string(text).serializedString
    }
}
