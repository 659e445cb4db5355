extension HTTPHeaders {
    /// Fields that describe one connection, not the message (RFC 9110 §7.6.1), plus the framing
    /// (`content-length`) and `expect`: a proxy never forwards them; it frames each side itself.
    static let hopByHopNames: [StaticString] = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "proxy-authenticate", "proxy-authorization", "expect", "content-length",
    ]

    /// These fields without the hop-by-hop ones and without those the `Connection` field names.
    /// Names are compared in place (no lowercased copies): this runs for every request and answer.
    public func removingHopByHopFields() -> HTTPHeaders {
        let namesConnectionOptions = contains("connection")
        var result = HTTPHeaders()
        result.fields.reserveCapacity(fields.count)
        for field in fields {
            var name = field.name
            let dropped = name.withUTF8 { name in
                Self.hopByHopNames.contains { Self.equalsIgnoringCase(name, $0) }
                    || (namesConnectionOptions && !forEachListElement(of: "connection") { !ASCII.equalIgnoringCase($0, name) })
            }
            if !dropped { result.fields.append(field) }
        }
        return result
    }
}
