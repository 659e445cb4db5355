import Foundation
import HTTPCodec

@testable import ProxyHTTP

/// A second upstream handler, for the proxy's harder cases. Routes (path segments carry the
/// parameters): `/echo` returns the body, `/delay/<ms>` returns the body after a pause,
/// `/status/<code>` answers with that status and no body, `/text/<bytes>` returns that many
/// bytes with a Content-Length, and `/bulk/<bytes>` streams `BulkPattern` bytes in 64 KB chunks
/// as fast as the proxy takes them (honouring back-pressure).
final class ScenarioUpstream: HTTPRequestHandler {
    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        let segments = request.head.target.split(separator: "/").map(String.init)
        switch (segments.first, segments.count > 1 ? Int(segments[1]) : nil) {
        case ("echo", _):
            responder.respond(status: 200, headers: ["Content-Type": "application/octet-stream"], body: request.body)
        case ("delay", let milliseconds?):
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
                responder.loop.execute {
                    responder.respond(status: 200, body: request.body)
                }
            }
        case ("text", let count?):
            responder.respond(status: 200, body: [UInt8](repeating: UInt8(ascii: "x"), count: count))
        case ("status", let status?):
            var headers = HTTPHeaders()
            if status == 304 { headers.add(name: "ETag", value: "\"v1\"") }
            responder.respond(status: status, headers: headers, body: [])
        case ("bulk", let total?):
            responder.sendHead(HTTPResponseHead(status: 200, headers: ["Content-Type": "application/octet-stream"]))
            BulkSender(total: total, responder: responder).start()
        default:
            responder.respond(status: 404, body: [])
        }
    }
}

/// Writes `/bulk` chunks while the connection takes them, then waits for `onWritable`.
private final class BulkSender {
    private let total: Int
    private let responder: HTTPResponder
    private var sent = 0

    init(total: Int, responder: HTTPResponder) {
        self.total = total
        self.responder = responder
    }

    func start() {
        // The responder keeps the sender alive through this closure until the response ends.
        responder.onWritable = { [self] in pump() }
        pump()
    }

    private func pump() {
        while sent < total {
            guard responder.isWritable else { return }
            let count = min(BulkPattern.blockSize, total - sent)
            responder.sendBody(BulkPattern.block(sent / BulkPattern.blockSize)[0..<count])
            sent += count
        }
        responder.onWritable = nil
        responder.finish()
    }
}
