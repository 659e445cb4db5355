import HTTPCodec
import ProxyHTTP
import ProxyTime

/// A chat completion sent through the router in this process, like a client's request but with
/// no socket (an agent's own call, a response hook's round): what comes back is parsed into the
/// response head, the events of an event stream (`[DONE]` left out) or the pieces of any other
/// body, and an end. `cancel()` is its client leaving: the request leaves its model's queue, or
/// its upstream is cut and the slot freed. Loop-bound; it keeps itself alive until its end.
final class InProcessModelCall {
    struct Events {
        var head: (HTTPResponseHead, _ isEventStream: Bool) -> Void
        var event: ([UInt8]) -> Void
        /// A piece of a body that is not an event stream.
        var body: (ArraySlice<UInt8>) -> Void
        /// Exactly once: `complete` false for an answer cut short or cancelled.
        var end: (_ complete: Bool) -> Void
    }

    let loop: EventLoop
    private var response: InProcessResponse?
    private var parser = ServerSentEventParser()
    private var isEventStream = false

    init(loop: EventLoop) {
        self.loop = loop
    }

    /// Sends `body` to /v1/chat/completions through `handler`, marked as the proxy's own request
    /// (`credentialToken`), so it goes to the model itself (no agent, no hook).
    func begin(_ body: [UInt8], handler: any HTTPRequestHandler, credentialToken: String, events: Events) {
        loop.assertInLoop()
        let head = HTTPRequestHead(method: "POST", target: "/v1/chat/completions", headers: [
            "Host": "llama-smart-proxy.internal", "Content-Type": "application/json", "Content-Length": String(body.count),
            LoopbackCredential.headerName: credentialToken,
        ])
        let inProcess = InProcessResponse(loop: loop, requestHead: head, events: InProcessResponse.Events(
            head: { [self] head in
                isEventStream = head.status == 200 && ServerSentEventStream.isEventStream(contentType: head.headers["content-type"])
                events.head(head, isEventStream)
            },
            body: { [self] piece in
                guard isEventStream else { return events.body(piece) }
                for data in parser.feed(piece) where data != Self.doneMarker { events.event(data) }
            },
            end: { [self] complete in
                response = nil
                events.end(complete)
            }))
        response = inProcess
        handler.handle(HTTPServerRequest(head: head, body: body, receivedAt: MonotonicClock.now()), responder: inProcess.responder)
    }

    /// Back-pressure: while `isPaused` says so the model's answer is not read further (its upstream
    /// is paused); `resume()` when it may go on.
    func pause(while isPaused: @escaping () -> Bool) {
        response?.consumerPendingBytes = { isPaused() ? InProcessResponse.pausing : 0 }
    }

    func resume() {
        loop.assertInLoop()
        response?.consumerDrained()
    }

    /// The consumer is gone; `end` runs with `complete` false unless it ran already.
    func cancel() {
        loop.assertInLoop()
        response?.cancel()
    }

    static let doneMarker = Array("[DONE]".utf8)
}
