import HTTPCodec

/// A request addressed to a model by its target rather than by a body's `model`:
/// `/upstream/<model>/<path>` (any method; the child gets `/<path>` and the query) and a `GET` or
/// `HEAD` with `?model=` on a path that is not one of the proxy's own (the child gets the target
/// unchanged, `model` parameter included). Pure: it only reads the request head.
enum ModelAddressedRoute: Sendable, Equatable {
    case upstream(model: String, target: String)
    case query(model: String)
    /// The target names a model badly (empty, broken percent-encoding): a 400 with this message.
    case badModelName(String)

    static let upstreamPrefix = "/upstream"

    /// GET paths where `model` is the proxy's own query parameter or that the proxy answers
    /// itself: they never go to a child by `?model=` (the management API is among them).
    static let proxyOwnPaths: Set<Substring> = ["/health", "/v1/models", "/models", "/v1/agents", "/ui"]

    static func of(method: String, head: HTTPRequestHead) -> ModelAddressedRoute? {
        let path = head.path
        if path == upstreamPrefix || path.hasPrefix(upstreamPrefix + "/") {
            return upstream(target: head.target.dropFirst(upstreamPrefix.count))
        }
        guard method == "GET" || method == "HEAD", !isProxyOwn(path), let raw = head.rawQueryValue(named: "model") else {
            return nil
        }
        guard let model = PercentDecoding.decode(raw, plusIsSpace: true) else {
            return .badModelName("the ?model= parameter is not valid percent-encoded UTF-8")
        }
        guard !model.isEmpty else { return .badModelName("the ?model= parameter is empty; name a model (GET /v1/models lists them)") }
        return .query(model: model)
    }

    /// Paths of the proxy's that a child has as well: with `?model=` they are the child's
    /// (`/metrics?model=tiny-a` is that llama-server's own metrics; access is still the proxy's
    /// rule for the path).
    static let childsToo: Set<Substring> = ["/metrics"]

    static func isProxyOwn(_ path: Substring) -> Bool {
        if childsToo.contains(path) { return false }
        return proxyOwnPaths.contains(path) || path.hasPrefix("/v1/models/")
            || RouteAccess.managementPaths.contains(path) || RouteAccess.managementPrefixes.contains { path.hasPrefix($0) }
    }

    /// `rest`: the target after `/upstream`, e.g. `/tiny-a/props?x=1`.
    private static func upstream(target rest: Substring) -> ModelAddressedRoute {
        let afterSlash = rest.dropFirst()
        let segmentEnd = afterSlash.firstIndex { $0 == "/" || $0 == "?" } ?? afterSlash.endIndex
        let segment = afterSlash[..<segmentEnd]
        guard !segment.isEmpty else {
            return .badModelName("name a model: /upstream/<model>/<path> (GET /v1/models lists them)")
        }
        guard let model = PercentDecoding.decode(segment), !model.isEmpty else {
            return .badModelName("the model name in /upstream/<model>/ is not valid percent-encoded UTF-8")
        }
        let forwarded = afterSlash[segmentEnd...]
        let target = forwarded.hasPrefix("/") ? String(forwarded) : "/" + forwarded
        return .upstream(model: model, target: target)
    }
}
