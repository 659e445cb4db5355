import Endpoints
/// Asks a child whether it can take requests. Called from the child's own output thread, so it
/// may block, but briefly: readiness is noticed no faster than one probe takes.
public protocol ReadinessProbe: Sendable {
    func isReady(_ endpoint: UpstreamEndpoint) -> Bool
}
