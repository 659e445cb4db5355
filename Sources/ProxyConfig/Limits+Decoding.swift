extension Limits {
    /// Smallest header limit accepted: below this ordinary clients could not send a request at all.
    static let minimumHeaderBytes = 1024

    static func decode(_ section: ConfigObjectReader) throws(ConfigError) -> Limits {
        try section.requireOnlyKeys(["max_body_bytes", "max_header_bytes"])
        let defaults = Limits()
        return Limits(
            maxBodyBytes: try section.integer("max_body_bytes", in: 1...Int.max, expected: "an integer >= 1")
                ?? defaults.maxBodyBytes,
            maxHeaderBytes: try section.integer(
                "max_header_bytes", in: minimumHeaderBytes...Int.max, expected: "an integer >= \(minimumHeaderBytes)")
                ?? defaults.maxHeaderBytes)
    }
}
