extension ProxyConfiguration {
    /// `cors_origins`: `[]` (no CORS headers at all, the default: a browser page from another
    /// origin cannot read answers), `["*"]` (any origin), or a list of origins
    /// (`scheme://host[:port]`, compared exactly).
    static func decodeCORSOrigins(_ root: ConfigObjectReader) throws(ConfigError) -> [String] {
        guard let origins = try root.stringArray("cors_origins") else { return [] }
        for (index, origin) in origins.enumerated() where !isValidOrigin(origin) {
            throw ConfigError(
                keyPath: root.keyPath("cors_origins[\(index)]"),
                message: "expected \"*\" or an origin such as \"https://chat.example.com\" (scheme://host[:port], no path), got \"\(origin)\"")
        }
        return origins
    }

    static func isValidOrigin(_ origin: String) -> Bool {
        if origin == "*" { return true }
        guard let separator = origin.range(of: "://") else { return false }
        let scheme = origin[..<separator.lowerBound]
        let authority = origin[separator.upperBound...]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return false }
        // Visible ASCII, no path: what a browser sends in `Origin`.
        return !authority.isEmpty && authority.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }
    }
}
