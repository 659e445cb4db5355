extension HTTPRequestHead {
    /// The request target without its query (`/v1/chat/completions?x=1` → `/v1/chat/completions`):
    /// what every route is chosen by.
    public var path: Substring {
        guard let query = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target[...] }
        return target[..<query]
    }
}
