import Testing

@testable import ProxyAPI

@Suite struct RouteAccessTests {
    @Test(arguments: [
        ("GET", "/health", RouteAccess.open),
        ("HEAD", "/health", .open),
        ("OPTIONS", "/v1/chat/completions", .open),
        ("OPTIONS", "/models/load", .open),
        ("POST", "/v1/chat/completions", .client),
        ("POST", "/v1/embeddings", .client),
        ("POST", "/infill", .client),
        ("GET", "/v1/models", .client),
        ("HEAD", "/v1/models", .client),
        ("GET", "/v1/models/tiny-a", .client),
        ("GET", "/v1/agents", .client),
        ("GET", "/nope", .client),
        ("GET", "/health/extra", .client),
        ("GET", "/healthz", .client),
        ("POST", "/models/load", .admin),
        ("POST", "/models/unload", .admin),
        ("GET", "/running", .admin),
        ("GET", "/metrics", .admin),
        ("GET", "/metrics/x", .client),
        ("POST", "/unload", .admin),
        ("GET", "/unload/tiny-a", .admin),
        ("GET", "/logs", .admin),
        ("GET", "/logs/stream/tiny-a", .admin),
        ("GET", "/events", .admin),
        ("GET", "/admin/anything", .admin),
        ("GET", "/logsx", .client),
        ("GET", "/models", .client),
        ("GET", "/", .open),
        ("HEAD", "/", .open),
        ("GET", "/ui", .open),
        ("POST", "/", .client),
        ("POST", "/ui", .client),
        ("GET", "/ui/x", .client),
        ("GET", "/admin/status", .admin),
    ])
    func classifiesByMethodAndPath(method: String, path: String, expected: RouteAccess) {
        #expect(RouteAccess.of(method: method, path: path[...]) == expected)
    }

    /// `GET /?model=` is a model's own page, not the status page: a client key is needed.
    @Test func theRootWithAModelQueryIsTheModels() {
        #expect(RouteAccess.of(method: "GET", path: "/", modelQuery: true) == .client)
        #expect(RouteAccess.of(method: "GET", path: "/ui", modelQuery: true) == .open)
    }
}
