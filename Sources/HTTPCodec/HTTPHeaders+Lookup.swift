extension HTTPHeaders {
    /// The first value of `name` (case-insensitive), or nil.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Every value of `name` (case-insensitive), in order.
    public func values(for name: String) -> [String] {
        fields.compactMap { Self.namesMatch($0.name, name) ? $0.value : nil }
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { Self.namesMatch($0.name, name) }
    }

    /// ASCII case-insensitive comparison without allocating lowercased copies.
    @inline(__always)
    static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
        // The UTF-8 count of a native string is stored, so most mismatches end here.
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        let contiguous = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in ASCII.equalIgnoringCase(left, right) }
        }
        return (contiguous ?? nil) ?? lhs.utf8.elementsEqual(rhs.utf8) { ASCII.lowercased($0) == ASCII.lowercased($1) }
    }
}
