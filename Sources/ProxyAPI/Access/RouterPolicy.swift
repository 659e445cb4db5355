import ProxyConfig

/// What the router enforces before routing: API keys and CORS. Made from the configuration and
/// replaced whole on SIGHUP, so each request sees one consistent policy.
struct RouterPolicy: Sendable {
    let access: AccessPolicy
    let cors: CORSPolicy

    init(_ configuration: ProxyConfiguration) {
        access = AccessPolicy(configuration.apiKeys)
        cors = CORSPolicy(origins: configuration.corsOrigins)
    }
}
