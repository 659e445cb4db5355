/// Why a message could not be parsed; `status` is what a server answers.
public enum HTTPParseError: Error, Equatable, Sendable {
    case headerTooLarge
    case bodyTooLarge
    case malformedRequestLine
    case malformedStatusLine
    case malformedHeader
    case unsupportedVersion
    case conflictingFraming
    case invalidContentLength
    case unsupportedTransferEncoding
    case invalidChunk
    case unexpectedEnd

    public var status: Int {
        switch self {
        case .headerTooLarge: 431
        case .bodyTooLarge: 413
        case .malformedStatusLine: 502
        case .unsupportedVersion: 505
        case .unsupportedTransferEncoding: 501
        case .malformedRequestLine, .malformedHeader, .conflictingFraming, .invalidContentLength,
            .invalidChunk, .unexpectedEnd:
            400
        }
    }

    public var message: String {
        switch self {
        case .headerTooLarge: "The request head is larger than the server accepts."
        case .bodyTooLarge: "The request body is larger than the server accepts."
        case .malformedRequestLine: "The request line is not of the form 'METHOD target HTTP/1.x'."
        case .malformedStatusLine: "The upstream status line is not of the form 'HTTP/1.x code reason'."
        case .malformedHeader: "A header field is malformed."
        case .unsupportedVersion: "Only HTTP/1.0 and HTTP/1.1 are supported."
        case .conflictingFraming: "The message has both Content-Length and Transfer-Encoding."
        case .invalidContentLength: "The Content-Length header is not a single non-negative integer."
        case .unsupportedTransferEncoding: "Only the 'chunked' transfer coding is supported."
        case .invalidChunk: "The chunked body is malformed."
        case .unexpectedEnd: "The connection closed in the middle of a message."
        }
    }
}
