/// A parsed configuration document. Numbers keep their text so "2" and "2.5" can be told apart
/// and reported exactly as written; objects keep member order and duplicates for the same reason.
indirect enum ConfigJSON: Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([ConfigJSON])
    case object([(String, ConfigJSON)])

    static func == (lhs: ConfigJSON, rhs: ConfigJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(left), .bool(right)): left == right
        case let (.number(left), .number(right)): left == right
        case let (.string(left), .string(right)): left == right
        case let (.array(left), .array(right)): left == right
        case let (.object(left), .object(right)):
            left.count == right.count && zip(left, right).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// How the value reads in an error message: `"two"`, `5`, `true`, `an array`.
    var shortDescription: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let text): text
        case .string(let text):
            Self.quoted(text.count > 60 ? String(text.prefix(57)) + "..." : text)
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Quoted with Swift's escapes, so quotes and control characters stay visible in messages.
    private static func quoted(_ text: String) -> String {
        text.debugDescription
    }
}
