/// Why a `multipart/form-data` body or its `Content-Type` could not be read.
public enum MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `Content-Type` has no usable `boundary` parameter (missing, empty, over 70 characters).
    case badBoundary(String)
    /// A part's header section is malformed: a line without CRLF, no `:`, an unreadable
    /// `Content-Disposition`.
    case badPartHeader(String)
    /// A part's header section is longer than the limit.
    case partHeaderTooLong(limit: Int)
    /// The wanted field's value is longer than the limit.
    case valueTooLong(limit: Int)
    /// The body ended before the wanted field's value did.
    case truncated

    public var description: String {
        switch self {
        case .badBoundary(let reason): "the Content-Type has no usable boundary: \(reason)"
        case .badPartHeader(let reason): "a part's headers are malformed: \(reason)"
        case .partHeaderTooLong(let limit): "a part's headers are longer than \(limit) bytes"
        case .valueTooLong(let limit): "the field's value is longer than \(limit) bytes"
        case .truncated: "the body ends inside the field's part (no closing boundary)"
        }
    }
}
