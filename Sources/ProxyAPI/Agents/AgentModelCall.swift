import Dispatch
import HTTPCodec
import ProxyAgents
import ProxyHTTP
import ProxyTime
import Synchronization

/// One streamed chat completion an agent asked for (`stream_chat`): an `InProcessModelCall`
/// (no socket, no thread waiting on it) whose events are passed to the plugin one at a time on a
/// serial queue of its own, so a slow plugin never holds the loop. Stopping it is its client
/// leaving. Loop-bound but for `stopRequested`.
final class AgentModelCall: @unchecked Sendable {
    let id: UInt64
    let loop: EventLoop
    private let events: StreamedCallEvents
    private let done: @Sendable (UInt64) -> Void
    private let queue = DispatchQueue(label: "lsp-agent-call")
    private let stopRequested = Atomic(false)
    private var call: InProcessModelCall?
    private var status = 0
    private var isEventStream = false
    private var otherBody: [UInt8] = []
    /// The most of a body that is not an event stream (an error) kept for the plugin.
    private let otherBodyLimit: Int

    init(id: UInt64, loop: EventLoop, events: StreamedCallEvents, otherBodyLimit: Int, done: @escaping @Sendable (UInt64) -> Void) {
        self.otherBodyLimit = otherBodyLimit
        self.id = id
        self.loop = loop
        self.events = events
        self.done = done
    }

    /// Sends `body` through `handler` as an agent's own request.
    func begin(_ body: [UInt8], handler: any HTTPRequestHandler, credentialToken: String) {
        loop.assertInLoop()
        guard !stopRequested.load(ordering: .acquiring) else { return end(complete: false) }
        let call = InProcessModelCall(loop: loop)
        self.call = call
        call.begin(body, handler: handler, credentialToken: credentialToken, events: InProcessModelCall.Events(
            head: { [self] head, isEventStream in
                status = head.status
                self.isEventStream = isEventStream
            },
            event: { [self] data in received(data) },
            body: { [self] piece in
                if otherBody.count < otherBodyLimit { otherBody += piece.prefix(otherBodyLimit - otherBody.count) }
            },
            end: { [self] complete in end(complete: complete) }))
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
        loop.execute { [self] in call?.cancel() }
    }

    private func received(_ data: [UInt8]) {
        let json = String(decoding: data, as: UTF8.self)
        queue.async { [self] in
            guard !stopRequested.load(ordering: .acquiring) else { return }
            if !events.chunk(json) { stop() }
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
        call = nil
        let events = events
        let finalBody = body
        queue.async { events.end(finalStatus, finalBody) }
        done(id)
    }
}
