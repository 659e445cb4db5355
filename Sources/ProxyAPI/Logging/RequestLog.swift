import ProxyTime
import ProxyHTTP

/// One line per request: method, path, model, status, duration, body bytes sent. Every value
/// that came from the client (or from an agent) is escaped (`LogEscaping`).
/// Each record also counts the request in the metrics: under its model only when `resolved`
/// (a name the client made up must not become a series), with what `tap` saw of the answer.
struct RequestLog: Sendable {
    let logger: Logger
    let enabled: Bool
    var metrics: ProxyMetrics?
    /// Keeps the last requests for `GET /admin/status` (recorded whether or not lines are logged).
    var recent: RecentRequests?

    func record(_ request: HTTPServerRequest, model: String?, status: Int, bytes: Int, note: String? = nil,
                resolved: Bool = true, tap: ResponseBodyTap? = nil) {
        let now = MonotonicClock.now()
        metrics?.recordRequest(request, model: resolved ? model ?? "" : "", status: status, now: now, tap: tap)
        recent?.record(RecentRequests.Entry(
            unixSeconds: WallClock.now().unixSeconds, method: request.head.method, path: String(request.head.path), model: model,
            status: status, milliseconds: Double(now &- request.receivedAt) / 1_000_000, bytes: bytes, note: note))
        guard enabled else { return }
        var line = "request \(LogEscaping.escape(request.head.method)) \(LogEscaping.escape(request.head.target))"
        line += " model=\(model.map { LogEscaping.escape($0) } ?? "-") status=\(status)"
        line += " ms=\(DecimalDigits.milliseconds(fromNanoseconds: now &- request.receivedAt))"
        line += " bytes=\(bytes)"
        if let note { line += " note=\"\(LogEscaping.escape(note))\"" }
        logger.log(line)
    }
}
