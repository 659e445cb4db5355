import HTTPCodec
import ProxyHTTP
import ProxyPool

/// Sends a request for a model served at URLs to the least busy of its servers that is up
/// (`RemotePool`), with the model's key instead of the client's credentials. A server that
/// refuses the connection is marked down and the request, of which nothing was sent, goes to
/// the next one; once bytes of an answer went out it is never sent again. When every server is
/// down the client gets 503 `model_unavailable` naming the model.
struct RemoteForwarder: Sendable {
    let remotes: RemotePool
    let proxy: ReverseProxy
    let requestLog: RequestLog

    /// `target`: the request target the server gets instead of the client's.
    func forward(_ request: HTTPServerRequest, body: [UInt8], upstream: RemoteUpstream, target: String?, responder: HTTPResponder,
                 tried: Set<UInt64> = []) {
        guard !responder.isClientGone else {
            requestLog.record(request, model: upstream.modelID, status: 499, bytes: 0, note: "client gone")
            return
        }
        let lease: RemoteLease
        switch remotes.acquire(upstream.modelID, excluding: tried) {
        case .server(let chosen):
            lease = chosen
        case .unavailable(let reasons):
            fail(Self.unavailable(upstream, reasons: reasons), request: request, model: upstream.modelID, responder: responder)
            return
        case .unknownModel:
            fail(Self.unavailable(upstream, reasons: ["its configuration was just replaced"]), request: request, model: upstream.modelID,
                 responder: responder)
            return
        }
        let tap = requestLog.metrics == nil ? nil : ResponseBodyTap()
        proxy.forward(
            Self.upstreamRequest(request, target: target, server: lease.server, authorization: upstream.authorization), body: body,
            to: lease.endpoint.address, reportUnreachable: true, tap: tap, responder: responder
        ) { outcome in
            switch outcome {
            case .unreachable(let reason):
                remotes.releaseUnreachable(lease, reason: reason)
                forward(request, body: body, upstream: upstream, target: target, responder: responder, tried: tried.union([lease.serverID]))
            case .completed(let status, let bytes):
                remotes.release(lease)
                requestLog.record(request, model: upstream.modelID, status: status, bytes: bytes, tap: tap)
            case .upstreamFailed(let reason):
                remotes.release(lease)
                requestLog.record(request, model: upstream.modelID, status: responder.status, bytes: responder.bodyBytesSent,
                                  note: "http://\(lease.server): \(reason)")
            case .clientGone:
                remotes.release(lease)
                requestLog.record(request, model: upstream.modelID, status: 499, bytes: responder.bodyBytesSent,
                                  note: "client disconnected; upstream request abandoned")
            }
        }
    }

    /// The client's request as the server gets it: its own `Host`, the model's key (if any) and
    /// never the client's credentials to this proxy.
    static func upstreamRequest(_ request: HTTPServerRequest, target: String?, server: RemoteUpstream.Server,
                                authorization: String?) -> HTTPServerRequest {
        var upstreamRequest = request
        if let target { upstreamRequest.head.target = target }
        PresentedCredentials.remove(from: &upstreamRequest.head.headers)
        upstreamRequest.head.headers.replaceOrAdd(name: "Host", value: server.description)
        if let authorization { upstreamRequest.head.headers.add(name: "Authorization", value: authorization) }
        return upstreamRequest
    }

    static func unavailable(_ upstream: RemoteUpstream, reasons: [String]) -> OpenAIError {
        var headers = HTTPHeaders()
        headers.add(name: "Retry-After", value: String(max(1, Int(upstream.healthInterval.rounded(.up)))))
        let count = upstream.servers.count
        return OpenAIError(
            status: 503,
            message: "model '\(upstream.modelID)' is unavailable: \(count == 1 ? "its server is" : "all \(count) of its servers are") down (\(reasons.joined(separator: "; ")))",
            type: "server_error", code: "model_unavailable", headers: headers)
    }

    private func fail(_ error: OpenAIError, request: HTTPServerRequest, model: String, responder: HTTPResponder) {
        error.send(to: responder)
        requestLog.record(request, model: model, status: error.status, bytes: 0, note: error.code)
    }
}
