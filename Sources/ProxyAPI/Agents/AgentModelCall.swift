import Dispatch
import HTTPCodec
import ProxyAgents
import ProxyHTTP
import ProxyTime
import Synchronization

/// One streamed chat completion an agent asked for (`stream_chat`): handed to the router in this
/// process like a client's request (no socket, no thread waiting on it), its SSE events passed
/// to the plugin one at a time on a serial queue of its own, so a slow plugin never holds the
/// loop. Stopping it is its client leaving: the request leaves its model's queue, or its upstream
/// is cut and the slot freed. Loop-bound but for `stopRequested`.
final class AgentModelCall: @unchecked Sendable {
    let id: UInt64
    let loop: EventLoop
    private let events: StreamedCallEvents
    private let done: @Sendable (UInt64) -> Void
    private let queue = DispatchQueue(label: "lsp-agent-call")
    private let stopRequested = Atomic(false)
    private var response: InProcessResponse?
    private var status = 0
    private var isEventStream = false
    private var parser = ServerSentEventParser()
    private var otherBody: [UInt8] = []
    static let otherBodyLimit = 1 << 20

    init(id: UInt64, loop: EventLoop, events: StreamedCallEvents, done: @escaping @Sendable (UInt64) -> Void) {
        self.id = id
        self.loop = loop
        self.events = events
        self.done = done
    }

    /// Sends `body` to /v1/chat/completions through `handler` as an agent's own request.
    func begin(_ body: [UInt8], handler: any HTTPRequestHandler, credentialToken: String) {
        loop.assertInLoop()
        guard !stopRequested.load(ordering: .acquiring) else { return end(complete: false) }
        let head = HTTPRequestHead(method: "POST", target: "/v1/chat/completions", headers: [
            "Host": "llama-smart-proxy.agent", "Content-Type": "application/json", "Content-Length": String(body.count),
            LoopbackCredential.headerName: credentialToken,
        ])
        let response = InProcessResponse(loop: loop, requestHead: head, events: InProcessResponse.Events(
            head: { [self] head in
                status = head.status
                isEventStream = head.status == 200 && ServerSentEventStream.isEventStream(contentType: head.headers["content-type"])
            },
            body: { [self] piece in received(piece) },
            end: { [self] complete in end(complete: complete) }))
        self.response = response
        handler.handle(HTTPServerRequest(head: head, body: body, receivedAt: MonotonicClock.now()), responder: response.responder)
    }

    /// Ends the call before it was sent, with `error` (from any thread).
    func refuse(_ error: OpenAIError) {
        let events = events
        let body = String(decoding: error.body, as: UTF8.self)
        queue.async { events.end(error.status, body) }
        done(id)
    }

    /// Stops the call (from any thread); `end` then reports 499.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        loop.execute { [self] in response?.cancel() }
    }

    private func received(_ piece: ArraySlice<UInt8>) {
        guard isEventStream else {
            if otherBody.count < Self.otherBodyLimit { otherBody += piece.prefix(Self.otherBodyLimit - otherBody.count) }
            return
        }
        for data in parser.feed(piece) where data != Self.doneMarker {
            let json = String(decoding: data, as: UTF8.self)
            queue.async { [self] in
                guard !stopRequested.load(ordering: .acquiring) else { return }
                if !events.chunk(json) { stop() }
            }
        }
    }

    private func end(complete: Bool) {
        loop.assertInLoop()
        let stopped = stopRequested.load(ordering: .acquiring)
        let finalStatus: Int
        var body = String(decoding: otherBody, as: UTF8.self)
        if stopped {
            finalStatus = 499
            body = ""
        } else if isEventStream {
            finalStatus = complete ? 200 : 502
            if !complete {
                body = String(decoding: OpenAIError(status: 502, message: "the model's stream ended before its end",
                                                    type: "server_error", code: "upstream_stream_cut").body, as: UTF8.self)
            }
        } else {
            finalStatus = status == 0 ? 502 : status
        }
        response = nil
        let events = events
        let finalBody = body
        queue.async { events.end(finalStatus, finalBody) }
        done(id)
    }

    static let doneMarker = Array("[DONE]".utf8)
}
