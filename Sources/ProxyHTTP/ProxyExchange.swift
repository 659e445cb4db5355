import Endpoints
import Foundation
import HTTPCodec

/// One request forwarded upstream and its response streamed back. Loop-bound; it lives as long
/// as the upstream connection or the responder holds it.
final class ProxyExchange: UpstreamResponseDelegate {
    private let request: HTTPServerRequest
    private let body: [UInt8]
    private let address: UpstreamEndpoint
    private let reportUnreachable: Bool
    private let responder: HTTPResponder
    private let pool: UpstreamConnectionPool
    private var completion: ((ReverseProxy.Outcome) -> Void)?
    private var upstream: UpstreamConnection?
    private var retried = false
    /// Set while relaying a `text/event-stream` body, to end it with an error event if the
    /// upstream fails mid-stream.
    private var eventStream: ServerSentEventStream?
    /// The event stream already sent to the client, which the upstream's body continues.
    private let continuing: EarlyEventStream?
    /// Set once the upstream's head arrived: the request can no longer be sent elsewhere.
    private var upstreamAnswered = false
    /// A continued stream's upstream that did not answer 200 with an event stream: its status,
    /// type and (the start of) its body, which become the stream's error event.
    private var refusal: (status: Int, contentType: String?, body: [UInt8])?
    /// Sees the upstream's head and body as they pass (for metrics).
    private let tap: ResponseBodyTap?

    init(request: HTTPServerRequest, body: [UInt8], address: UpstreamEndpoint, reportUnreachable: Bool,
         continuing: EarlyEventStream?, tap: ResponseBodyTap?, responder: HTTPResponder, pool: UpstreamConnectionPool,
         completion: @escaping (ReverseProxy.Outcome) -> Void) {
        self.tap = tap
        self.continuing = continuing
        eventStream = continuing?.tracker
        self.request = request
        self.body = body
        self.address = address
        self.reportUnreachable = reportUnreachable
        self.responder = responder
        self.pool = pool
        self.completion = completion
    }

    func start() {
        responder.loop.assertInLoop()
        responder.onClientGone = { [self] in
            upstream?.abandon()
            upstream = nil
            complete(.clientGone)
        }
        responder.onWritable = { [weak self] in self?.upstream?.resumeReading() }
        send()
    }

    private func send(fresh: Bool = false) {
        switch pool.lease(to: address, fresh: fresh) {
        case .success(let connection):
            upstream = connection
            connection.send(method: request.head.method, head: upstreamHead(), body: body, delegate: self)
        case .failure(let error):
            if reportUnreachable && canStartOver {
                upstream = nil
                complete(.unreachable(error.description))
            } else {
                upstreamFailed(error, retryable: false)
            }
        }
    }

    /// Nothing of an upstream answer reached the client yet (a continued stream's own events
    /// aside), so the request may still go elsewhere or fail on its own terms.
    private var canStartOver: Bool {
        continuing == nil ? !responder.headSent : !upstreamAnswered
    }

    private func upstreamHead() -> [UInt8] {
        var head = request.head
        head.version = .http1_1
        head.headers = request.head.headers.removingHopByHopFields()
        if !body.isEmpty || Self.methodsWithBody.contains(head.method) {
            head.headers.add(name: "Content-Length", value: String(body.count))
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(512)
        head.write(into: &bytes)
        return bytes
    }

    // MARK: UpstreamResponseDelegate

    func upstreamHead(_ head: HTTPResponseHead) {
        upstreamAnswered = true
        tap?.head(status: head.status, contentType: head.headers["content-type"])
        if continuing != nil {
            // The client has its head already; only a 200 event stream can follow it.
            let contentType = head.headers["content-type"]
            if head.status != 200 || !ServerSentEventStream.isEventStream(contentType: contentType) {
                refusal = (head.status, contentType, [])
            }
            return
        }
        var clientHead = head
        clientHead.headers = head.headers.removingHopByHopFields()
        // Keep a fixed length end to end; otherwise the responder frames the stream itself.
        if let length = head.headers["content-length"], !head.headers.contains("transfer-encoding") {
            clientHead.headers.add(name: "Content-Length", value: length)
        }
        if ServerSentEventStream.isEventStream(contentType: head.headers["content-type"]) {
            eventStream = ServerSentEventStream()
        }
        responder.sendHead(clientHead)
    }

    func upstreamBody(_ bytes: ArraySlice<UInt8>) {
        if refusal != nil {
            if refusal!.body.count < Self.refusalBodyLimit { refusal!.body += bytes.prefix(Self.refusalBodyLimit - refusal!.body.count) }
            return
        }
        eventStream?.relayed(bytes)
        tap?.body(bytes)
        responder.sendBody(bytes)
        if !responder.isWritable { upstream?.pauseReading() }
    }

    func upstreamEnd() {
        upstream = nil
        if let refusal {
            endContinuedStream(refusedWith: refusal)
            complete(.completed(status: refusal.status, bytes: responder.bodyBytesSent))
            return
        }
        responder.finish()
        complete(.completed(status: responder.status, bytes: responder.bodyBytesSent))
    }

    /// A continued stream's upstream answered with something else than a 200 event stream: a
    /// JSON body (llama-server's own `{"error": ...}`) becomes the data of the closing event, as
    /// is; anything else an error event that quotes it.
    private func endContinuedStream(refusedWith refusal: (status: Int, contentType: String?, body: [UInt8])) {
        guard let continuing else { return }
        let mediaType = refusal.contentType?.split(separator: ";").first?.lowercased().trimmingCharacters(in: .whitespaces)
        if refusal.status != 200, mediaType == "application/json", refusal.body.count < Self.refusalBodyLimit,
           refusal.body.first(where: { !Self.jsonWhitespace.contains($0) }) == UInt8(ascii: "{") {
            continuing.sendEvent(data: refusal.body)
            responder.finish()
            return
        }
        let text = String(decoding: refusal.body.prefix(1000), as: UTF8.self)
        let what = refusal.status != 200
            ? "status \(refusal.status)" : "200 with \(mediaType.map { "Content-Type " + $0 } ?? "no Content-Type"), not an event stream"
        continuing.fail(
            message: "the upstream answered \(what)" + (text.isEmpty ? "" : ": \(text)"), type: "server_error", code: "upstream_error")
    }

    func upstreamFailed(_ error: UpstreamError, retryable: Bool) {
        upstream = nil
        if retryable && !retried && canStartOver {
            // On a new connection: another idle one may have been closed by the same upstream.
            retried = true
            send(fresh: true)
            return
        }
        if case .connectFailed = error, reportUnreachable, canStartOver {
            // A TCP connect fails after the fact (refused, unreachable): still nothing was sent.
            complete(.unreachable(error.description))
            return
        }
        if reportUnreachable, canStartOver, !upstreamAnswered, error.endsTheConnection, address.refusesConnections() {
            // The connection ended unanswered and nothing listens any more: the upstream died
            // with the request (a child killed a moment ago takes the connections still in its
            // listen backlog with it). The request goes elsewhere, as if the connect had failed.
            complete(.unreachable("\(error.description); \(address) no longer accepts connections"))
            return
        }
        if continuing != nil || responder.headSent {
            endStartedResponse(after: error)
        } else {
            let status = error == .timedOut ? 504 : 502
            responder.respond(status: status, headers: Self.jsonHeaders, body: Self.errorBody(status: status, message: error.description))
        }
        complete(.upstreamFailed(error.description))
    }

    /// An event stream gets an OpenAI-shaped error event and a proper end, so SSE clients stop
    /// with an error at once; any other body is cut off (the client sees it truncated).
    private func endStartedResponse(after error: UpstreamError) {
        guard let eventStream, !responder.isLengthDelimited else {
            responder.abort()
            return
        }
        let code = error == .timedOut ? "upstream_timeout" : "upstream_error"
        let event = eventStream.errorEvent(message: error.description, type: "server_error", code: code)
        responder.sendBody(event[...])
        responder.finish()
    }

    private func complete(_ outcome: ReverseProxy.Outcome) {
        responder.onClientGone = nil
        responder.onWritable = nil
        let callback = completion
        completion = nil
        callback?(outcome)
    }

    private static let methodsWithBody: Set<String> = ["POST", "PUT", "PATCH"]
    /// How much of a refused continuation's body is kept for its error event.
    private static let refusalBodyLimit = 64 * 1024
    private static let jsonWhitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
    private static let jsonHeaders = HTTPHeaders([("Content-Type", "application/json")])

    private static func errorBody(status: Int, message: String) -> [UInt8] {
        ErrorResponseBody.json(message: message, type: "server_error", code: status == 504 ? "upstream_timeout" : "upstream_error")
    }
}
