import ProxyTime
import Foundation
import ProxyHTTP

/// One line per request: method, path, model, status, duration, body bytes sent. Every value
/// that came from the client (or from an agent) is escaped (`LogEscaping`).
struct RequestLog: Sendable {
    let logger: Logger
    let enabled: Bool

    func record(_ request: HTTPServerRequest, model: String?, status: Int, bytes: Int, note: String? = nil) {
        guard enabled else { return }
        let milliseconds = Double(MonotonicClock.now() &- request.receivedAt) / 1_000_000
        var line = "request \(LogEscaping.escape(request.head.method)) \(LogEscaping.escape(request.head.target))"
        line += " model=\(model.map { LogEscaping.escape($0) } ?? "-") status=\(status)"
        line += String(format: " ms=%.2f", milliseconds)
        line += " bytes=\(bytes)"
        if let note { line += " note=\"\(LogEscaping.escape(note))\"" }
        logger.log(line)
    }
}
