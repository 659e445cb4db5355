/// The media type of a `Content-Type` value (RFC 9110 §8.3.1): what comes before its first `;`,
/// without the blanks around it, compared without regard to case. Read in place, per answer on
/// the request path: no split, no lowercased copy.
public enum MediaType {
    public static func matches(_ contentType: String?, _ type: StaticString) -> Bool {
        guard var contentType else { return false }
        return contentType.withUTF8 { bytes in
            var end = 0
            while end < bytes.count && bytes[end] != ASCII.semicolon { end += 1 }
            var start = 0
            while start < end && ASCII.isWhitespace(bytes[start]) { start += 1 }
            while end > start && ASCII.isWhitespace(bytes[end - 1]) { end -= 1 }
            return HTTPHeaders.equalsIgnoringCase(UnsafeBufferPointer(rebasing: bytes[start..<end]), type)
        }
    }
}
