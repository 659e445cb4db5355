import ProxyTime
import Foundation
import ProxyHTTP

/// One line per request: method, path, model, status, duration, body bytes sent.
struct RequestLog: Sendable {
    let logger: Logger
    let enabled: Bool

    func record(_ request: HTTPServerRequest, model: String?, status: Int, bytes: Int, note: String? = nil) {
        guard enabled else { return }
        let milliseconds = Double(MonotonicClock.now() &- request.receivedAt) / 1_000_000
        var line = "request \(request.head.method) \(request.head.target) model=\(model ?? "-") status=\(status)"
        line += String(format: " ms=%.2f", milliseconds)
        line += " bytes=\(bytes)"
        if let note { line += " note=\"\(note)\"" }
        logger.log(line)
    }
}
