import HTTPCodec
import ProxyHTTP

/// `GET /logs` and `GET /logs/stream...` (see `LogRequest`): plain text, a line per kept line,
/// `<UTC time> [<source>] <text>`. A stream is chunked text that stays open: the kept lines
/// first (unless `?no-history`), then each new line as it is logged, until the client leaves
/// or the proxy stops; a client that lets `limits.log_stream_buffer_bytes` pile up is dropped.
/// A model is named by its id or anything that resolves to it (an alias); an unknown name gets
/// 404 `model_not_found`. The proxy's own: never forwarded to a model.
struct LogsEndpoint: Sendable {
    let store: LogStore
    let catalog: ModelCatalog
    let streamBufferBytes: Int
    let log: @Sendable (String) -> Void

    static let headers = HTTPHeaders([
        ("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff"),
    ])
    static let eventStreamHeaders = HTTPHeaders([("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")])

    /// A request whose path `LogRequest.isLogPath`.
    func serve(_ request: HTTPServerRequest, responder: HTTPResponder) {
        switch LogRequest.parse(request.head) {
        case .failure(let error):
            error.send(to: responder)
        case .success(let logRequest):
            guard case .model(let name) = logRequest.selector, !store.knows(modelID: name) else {
                answer(logRequest, responder: responder)
                return
            }
            catalog.resolve(name) { [self] resolution, _ in
                let loop = responder.loop
                loop.executeSoon { [self] in
                    guard let model = resolution.model else {
                        ModelDispatcher.resolutionError(resolution, name: name).send(to: responder)
                        return
                    }
                    var resolved = logRequest
                    resolved.selector = .model(model.id)
                    answer(resolved, responder: responder)
                }
            }
        }
    }

    /// On the loop.
    private func answer(_ request: LogRequest, responder: HTTPResponder) {
        responder.loop.assertInLoop()
        guard request.live, responder.requestHead.method != "HEAD" else {
            let lines = request.history ? store.history(request.selector, last: request.last).text : []
            responder.respond(status: 200, headers: Self.headers, body: lines)
            return
        }
        let stream = LiveBodyStream(responder: responder, bufferLimit: streamBufferBytes)
        let head = HTTPResponseHead(status: 200, headers: request.eventStream ? Self.eventStreamHeaders : Self.headers)
        let subscriber: any LogSubscriber
        let encode: @Sendable ([UInt8]) -> [UInt8]
        if request.eventStream {
            subscriber = LogEventStream(stream: stream)
            encode = { LogEventStream.events($0) }
        } else {
            subscriber = stream
            encode = { $0 }
        }
        guard let (id, history) = store.subscribe(request.selector, history: request.history, last: request.last, subscriber) else {
            // The proxy is stopping: what is kept, and the end.
            stream.start(head: head, initial: encode(store.history(request.selector, last: request.last).text)) {}
            stream.finish()
            return
        }
        let bufferBytes = streamBufferBytes
        stream.start(head: head, initial: encode(history.text)) { [store, log] in
            store.unsubscribe(id)
            if stream.wasDropped {
                log("log stream dropped: its client fell \(bufferBytes) bytes behind (limits.log_stream_buffer_bytes)")
            }
        }
    }
}
