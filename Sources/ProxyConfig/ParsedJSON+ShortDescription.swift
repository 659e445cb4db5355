import ProxyJSON

extension ParsedJSON {
    /// How the value reads in an error message: `"two"`, `5`, `true`, `an array`.
    var shortDescription: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let text): text
        case .string(let text):
            // Swift's escapes keep quotes and control characters visible in messages.
            (text.count > 60 ? String(text.prefix(57)) + "..." : text).debugDescription
        case .array: "an array"
        case .object: "an object"
        }
    }
}
