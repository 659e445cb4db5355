/// Who may call a route. With keys configured: `.open` needs none, `.client` a client or admin
/// key, `.admin` an admin key (see `AccessPolicy` for the cases where one kind is not configured).
enum RouteAccess: Sendable, Equatable {
    case open
    case client
    case admin

    /// The one place that classifies routes, by method and path (without the query).
    /// `/health` stays open for probes, and so does every `OPTIONS` (a browser's CORS preflight
    /// carries no credentials), and so does the status page (`GET /`, `/ui`: it holds no data and
    /// asks the admin API with the key it asks its user for). The management API's paths are
    /// admin; everything else, client.
    /// `modelQuery`: the target has a `model` query parameter (a `GET /?model=` goes to that
    /// model's own server, so it is not the status page).
    static func of(method: String, path: Substring, modelQuery: Bool = false) -> RouteAccess {
        if method == "OPTIONS" || path == "/health" { return .open }
        if path.utf8.starts(with: "/v1/".utf8) { return .client }  // the OpenAI API: most requests, no set lookup
        if method == "GET" || method == "HEAD", path == "/ui" || (path == "/" && !modelQuery) { return .open }
        if managementPaths.contains(path) || managementPrefixes.contains(where: { path.hasPrefix($0) }) { return .admin }
        return .client
    }

    /// The management API (load, unload, running models, logs, events) and the metrics: router
    /// mode's and llama-swap's spellings, so their clients keep working behind the admin key.
    static let managementPaths: Set<Substring> = ["/models/load", "/models/unload", "/running", "/unload", "/logs", "/events", "/metrics"]
    static let managementPrefixes = ["/admin/", "/logs/", "/events/", "/unload/"]

}
