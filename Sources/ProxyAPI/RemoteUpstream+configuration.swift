import ProxyConfig
import ProxyPool

extension RemoteUpstream {
    /// Seconds between a remote server's health checks unless the model says otherwise.
    static let defaultHealthInterval = 10.0

    /// A configured model's `url`/`urls` as the remote pool takes them; nil for any other model.
    init?(configured model: ConfiguredModel) {
        guard let remote = model.remote else { return nil }
        self.init(
            modelID: model.id, servers: remote.addresses,
            healthPath: remote.healthPath, healthInterval: remote.healthCheckSeconds ?? Self.defaultHealthInterval,
            authorization: remote.apiKey.map { "Bearer \($0)" })
    }

    /// Every remote model of `configuration`.
    static func all(in configuration: ProxyConfiguration) -> [RemoteUpstream] {
        configuration.models.compactMap { RemoteUpstream(configured: $0) }
    }
}
