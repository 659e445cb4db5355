import HTTPCodec
import ProxyHTTP
import ProxyPool

/// `GET /metrics`: gathers the loops' counters, adds the pool's present state, answers on the
/// request's loop.
struct MetricsEndpoint: Sendable {
    let metrics: ProxyMetrics
    let pool: ServerPool

    func serve(responder: HTTPResponder) {
        metrics.gatherRequests { [self] requests in
            responder.loop.executeSoon { [self] in
                let report = MetricsReport(
                    requests: requests, lifecycle: metrics.lifecycleSnapshot, statuses: pool.statuses(), devices: pool.devices)
                responder.respond(
                    status: 200, headers: HTTPHeaders([("Content-Type", MetricsText.contentType)]), body: Array(report.render().utf8))
            }
        }
    }
}
