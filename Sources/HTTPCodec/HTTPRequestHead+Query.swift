extension HTTPRequestHead {
    /// The request target's query (after the first `?`), or nil without one.
    public var query: Substring? {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.index(after: mark)...]
    }

    /// The raw (still percent-encoded) value of the query's first `name=` parameter; a bare `name`
    /// has the empty value. Names are compared as they are written.
    public func rawQueryValue(named name: String) -> Substring? {
        guard let query else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == name { return parts.count == 2 ? parts[1] : "" }
        }
        return nil
    }
}
