extension HTTPHeaders {
    /// Calls `body` with each comma-separated element of every `name` field (case-insensitive),
    /// trimmed of optional whitespace; empty elements are skipped, as RFC 9110 §5.6.1 allows.
    /// Returns false as soon as `body` does.
    @discardableResult
    func forEachListElement(of name: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        for index in fields.indices where Self.namesMatch(fields[index].name, name) {
            if !Self.forEachListElement(in: fields[index].value, body) { return false }
        }
        return true
    }

    /// The same for one field value.
    static func forEachListElement(in value: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != ASCII.comma { end += 1 }
                var low = start
                var high = end
                while low < high && ASCII.isWhitespace(bytes[low]) { low += 1 }
                while high > low && ASCII.isWhitespace(bytes[high - 1]) { high -= 1 }
                if low < high && !body(UnsafeBufferPointer(rebasing: bytes[low..<high])) { return false }
                start = end + 1
            }
            return true
        }
    }

    /// Whether any `name` field lists `token`, ignoring case (e.g. `Connection: keep-alive, Upgrade`).
    func listContains(_ name: String, token: StaticString) -> Bool {
        !forEachListElement(of: name) { !Self.equalsIgnoringCase($0, token) }
    }

    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ token: StaticString) -> Bool {
        ASCII.equalIgnoringCase(bytes, UnsafeBufferPointer(start: token.utf8Start, count: token.utf8CodeUnitCount))
    }
}
