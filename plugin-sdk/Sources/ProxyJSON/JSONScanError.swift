/// Why a request body was refused; `offset` is the byte where the problem was found.
public enum JSONScanError: Error, Equatable, CustomStringConvertible {
    case invalid(offset: Int, reason: String)
    /// Well-formed JSON whose top-level value is not an object.
    case notAnObject
    /// Nesting deeper than `JSONScanner.maximumDepth`.
    case tooDeep

    public var description: String {
        switch self {
        case let .invalid(offset, reason): "invalid JSON at byte \(offset): \(reason)"
        case .notAnObject: "the JSON body must be an object"
        case .tooDeep: "JSON nesting deeper than \(JSONScanner.maximumDepth) levels"
        }
    }
}
