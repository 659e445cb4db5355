/// The boundary of a `multipart/form-data` body, from its `Content-Type` (RFC 7578, RFC 2046 §5.1.1).
public enum MultipartBoundary {
    /// RFC 2046's longest boundary.
    public static let maxLength = 70

    /// Whether `contentType` is `multipart/form-data` (parameters aside, any case).
    public static func isFormData(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        let trimmed = String(decoding: type, as: UTF8.self).trimmingASCIIWhitespace()
        return trimmed.lowercased() == "multipart/form-data"
    }

    /// The boundary's bytes (without the leading `--`).
    public static func parse(contentType: String) throws(MultipartError) -> [UInt8] {
        guard let parsed = HeaderParameters(parsing: contentType) else {
            throw .badBoundary("the Content-Type \"\(contentType)\" is not `type; name=value`")
        }
        guard let boundary = parsed["boundary"] else { throw .badBoundary("no boundary parameter") }
        let bytes = Array(boundary.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength else {
            throw .badBoundary("a boundary is 1 to \(maxLength) characters, this one \(bytes.count)")
        }
        guard !bytes.contains(where: { $0 == 0x0D || $0 == 0x0A }) else { throw .badBoundary("it contains CR or LF") }
        return bytes
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
