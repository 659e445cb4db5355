/// How the end of a message body is found (RFC 9112 §6.3).
enum BodyFraming: Sendable, Equatable {
    case none
    case length(Int)
    case chunked
    case untilClose
}

extension HTTPHeaders {
    /// Requests: Content-Length or chunked, else no body. Both at once is refused as a smuggling
    /// attempt; a declared length over `maxBodyBytes` is refused before the head is handed out.
    func requestFraming(maxBodyBytes: Int) throws(HTTPParseError) -> BodyFraming {
        switch try framingFields() {
        case (nil, false): return BodyFraming.none
        case (let length?, false):
            if length > maxBodyBytes { throw .bodyTooLarge }
            return length == 0 ? BodyFraming.none : .length(length)
        case (_, true): return .chunked
        }
    }

    /// Responses that may have a body: as for requests, but without either header the body runs
    /// until the upstream closes the connection.
    func responseFraming() throws(HTTPParseError) -> BodyFraming {
        switch try framingFields() {
        case (nil, false): return .untilClose
        case (let length?, false): return length == 0 ? BodyFraming.none : .length(length)
        case (_, true): return .chunked
        }
    }

    /// Content-Length and Transfer-Encoding in one pass over the fields. Content-Length is decimal
    /// digits only (no sign, no inner spaces), and several fields or list elements must agree. The
    /// only transfer coding this proxy can undo is a single `chunked`; anything layered under it
    /// (gzip, …) would reach the application still encoded.
    private func framingFields() throws(HTTPParseError) -> (contentLength: Int?, chunked: Bool) {
        var length: Int?
        var lengthIsValid = true
        var sawLength = false
        var codings = 0
        var lastIsChunked = false
        for index in fields.indices {
            let name = fields[index].name
            if Self.namesMatch(name, "content-length") {
                sawLength = true
                lengthIsValid = lengthIsValid && Self.forEachListElement(in: fields[index].value) { element in
                    guard let parsed = Self.decimal(element), length == nil || length == parsed else { return false }
                    length = parsed
                    return true
                }
            } else if Self.namesMatch(name, "transfer-encoding") {
                _ = Self.forEachListElement(in: fields[index].value) { coding in
                    codings += 1
                    lastIsChunked = Self.equalsIgnoringCase(coding, "chunked")
                    return true
                }
                codings = Swift.max(codings, 1)  // an empty Transfer-Encoding still names a coding we lack
            }
        }
        if codings > 0 {
            if sawLength { throw .conflictingFraming }
            guard codings == 1 && lastIsChunked else { throw .unsupportedTransferEncoding }
            return (nil, true)
        }
        guard sawLength else { return (nil, false) }
        guard lengthIsValid, let length else { throw .invalidContentLength }
        return (length, false)
    }

    /// 18 digits at most, so the value cannot overflow (and exceeds any sane limit anyway).
    private static func decimal(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
        guard digits.count <= 18 else { return nil }
        var value = 0
        for digit in digits {
            guard ASCII.isDigit(digit) else { return nil }
            value = value * 10 + Int(digit - ASCII.zero)
        }
        return value
    }
}
