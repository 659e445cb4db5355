import HTTPCodec

/// The keys a request presents: the token of every `Authorization: Bearer <token>` field (the
/// scheme in any case) and every `x-api-key` field. Anything else presents nothing.
enum PresentedCredentials {
    static func keys(in headers: HTTPHeaders) -> [Substring] {
        var keys: [Substring] = []
        for (name, value) in headers {
            if name.utf8.count == 13, name.lowercased() == "authorization", let token = bearerToken(value) {
                keys.append(token)
            } else if name.utf8.count == 9, name.lowercased() == "x-api-key" {
                let key = trimmed(value[...])
                if !key.isEmpty { keys.append(key) }
            }
        }
        return keys
    }

    /// Drops the fields that carry keys: with access control on they are the proxy's credentials,
    /// and a model (whose log the proxy keeps and quotes in errors) never sees them.
    static func remove(from headers: inout HTTPHeaders) {
        headers.remove(name: "authorization")
        headers.remove(name: "x-api-key")
    }

    /// `Bearer <token>`: the scheme, one or more spaces, the token.
    static func bearerToken(_ value: String) -> Substring? {
        let value = trimmed(value[...])
        guard let space = value.firstIndex(where: { $0 == " " || $0 == "\t" }),
              value[..<space].lowercased() == "bearer"
        else { return nil }
        let token = trimmed(value[space...])
        return token.isEmpty ? nil : token
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
