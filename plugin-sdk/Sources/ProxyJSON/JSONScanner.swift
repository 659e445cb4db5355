/// Validates a request body and pulls out the few members the proxy routes on, in one pass that
/// allocates nothing but the decoded model name.
public enum JSONScanner {
    /// Deepest nesting of objects and arrays accepted; a bound keeps hostile bodies cheap.
    public static let maximumDepth = ContainerStack.capacity

    /// Checks that `bytes` is one JSON document (RFC 8259, UTF-8) whose top-level value is an object
    /// and summarises its `model`, `stream` and `keep_alive` members.
    public static func scanRequestBody(
        _ bytes: UnsafeRawBufferPointer
    ) throws(JSONScanError) -> RequestBodySummary {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw .invalid(offset: 0, reason: "empty body")
        }
        let findings = try DocumentScan(base: base, end: bytes.count).run()
        guard findings.topLevelIsObject else { throw .notAnObject }
        var summary = RequestBodySummary(stream: findings.stream, keepAliveValueRange: findings.keepAliveValue)
        if let token = findings.modelToken {
            summary.model = JSONStringDecoding.decode(token, in: base)
            summary.modelValueRange = token.start..<token.end
        }
        return summary
    }

    /// Convenience for callers holding an array.
    public static func scanRequestBody(_ bytes: [UInt8]) throws(JSONScanError) -> RequestBodySummary {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONScanError) -> RequestBodySummary in try scanRequestBody(raw) }
        }
        return try result.get()
    }
}
