import Endpoints

/// A model's `url` or `urls`: servers of an OpenAI-compatible API that the proxy does not run
/// (another host's llama-server, another proxy, any such endpoint). Requests go to the least
/// busy one that is up; one that refuses connections or fails its health check is skipped
/// until a check passes.
public struct ModelRemote: Sendable, Equatable {
    /// The servers (`http://host:port`: plain HTTP/1.1 over TCP; TLS is a sidecar's job, e.g.
    /// stunnel), in the order given (ties in load are broken round robin from there).
    public var addresses: [HostPort]
    /// `api_key` or the first key of `api_key_file`: sent as `Authorization: Bearer`.
    public var apiKey: String?
    /// `health_path` (default `/health`): GET until it answers 200; nil: a connection that is
    /// accepted is healthy.
    public var healthPath: String?
    /// `health_check_seconds`; nil: `timeouts.health_check_seconds`.
    public var healthCheckSeconds: Double?

    public init(addresses: [HostPort], apiKey: String? = nil, healthPath: String? = "/health", healthCheckSeconds: Double? = nil) {
        self.addresses = addresses
        self.apiKey = apiKey
        self.healthPath = healthPath
        self.healthCheckSeconds = healthCheckSeconds
    }
}
