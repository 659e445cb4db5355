/// What a request parser yields: the head, body pieces (zero or more), then the end.
public enum HTTPRequestPart: Sendable, Equatable {
    case head(HTTPRequestHead)
    case body(ArraySlice<UInt8>)
    case end
}

/// What a response parser yields: the head, body pieces (zero or more), then the end.
public enum HTTPResponsePart: Sendable, Equatable {
    case head(HTTPResponseHead)
    case body(ArraySlice<UInt8>)
    case end
}
