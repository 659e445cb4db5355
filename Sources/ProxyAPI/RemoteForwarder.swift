import Endpoints
import HTTPCodec
import ProxyHTTP
import ProxyPool

/// Sends a request to a server the proxy does not run: a remote model's least busy server that
/// is up (`RemotePool`), or a peer that lists the model (`PeerDirectory`), with the key that
/// server wants instead of the client's credentials. A server that refuses the connection is
/// marked down and the request, of which nothing was sent, goes to the next one; once bytes of
/// an answer went out it is never sent again. When no server is left the client gets the
/// route's error (503 `model_unavailable` naming the model).
struct RemoteForwarder: Sendable {
    /// How one request finds its servers and gives them back.
    struct Route: Sendable {
        let modelID: String
        /// A server not in the set (those already refused), with the `Authorization` it gets; or the error to answer.
        let acquire: @Sendable (Set<UInt64>) -> Result<(RemoteLease, String?), OpenAIError>
        let release: @Sendable (RemoteLease) -> Void
        let releaseUnreachable: @Sendable (RemoteLease, String) -> Void
        /// Headers added to what the server gets (the peer header).
        var headers: [(name: String, value: String)] = []
    }

    let proxy: ReverseProxy
    let requestLog: RequestLog

    /// `target`: the request target the server gets instead of the client's.
    func forward(_ request: HTTPServerRequest, body: [UInt8], route: Route, target: String?, responder: HTTPResponder,
                 tried: Set<UInt64> = []) {
        guard !responder.isClientGone else {
            requestLog.record(request, model: route.modelID, status: 499, bytes: 0, note: "client gone")
            return
        }
        let lease: RemoteLease
        let authorization: String?
        switch route.acquire(tried) {
        case .success(let chosen):
            (lease, authorization) = chosen
        case .failure(let error):
            error.send(to: responder)
            // A name no peer lists is the client's invention: no metrics series of its own.
            requestLog.record(request, model: route.modelID, status: error.status, bytes: 0, note: error.code,
                              resolved: error.code != "model_not_found")
            return
        }
        let tap = requestLog.metrics == nil ? nil : ResponseBodyTap()
        var upstreamRequest = Self.upstreamRequest(request, target: target, server: lease.server, authorization: authorization)
        for (name, value) in route.headers { upstreamRequest.head.headers.add(name: name, value: value) }
        proxy.forward(upstreamRequest, body: body, to: lease.endpoint, reportUnreachable: true, tap: tap, responder: responder) { outcome in
            switch outcome {
            case .unreachable(let reason):
                route.releaseUnreachable(lease, reason)
                forward(request, body: body, route: route, target: target, responder: responder, tried: tried.union([lease.serverID]))
            case .completed(let status, let bytes):
                route.release(lease)
                requestLog.record(request, model: route.modelID, status: status, bytes: bytes, tap: tap)
            case .upstreamFailed(let reason):
                route.release(lease)
                requestLog.record(request, model: route.modelID, status: responder.status, bytes: responder.bodyBytesSent,
                                  note: "http://\(lease.server): \(reason)")
            case .clientGone:
                route.release(lease)
                requestLog.record(request, model: route.modelID, status: 499, bytes: responder.bodyBytesSent,
                                  note: "client disconnected; upstream request abandoned")
            }
        }
    }

    /// The client's request as the server gets it: its own `Host`, the server's key (if any) and
    /// never the client's credentials to this proxy.
    static func upstreamRequest(_ request: HTTPServerRequest, target: String?, server: HostPort,
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
}

extension RemoteForwarder.Route {
    /// A remote model's servers.
    static func remote(_ upstream: RemoteUpstream, pool: RemotePool) -> Self {
        Self(
            modelID: upstream.modelID,
            acquire: { tried in
                switch pool.acquire(upstream.modelID, excluding: tried) {
                case .server(let lease): .success((lease, upstream.authorization))
                case .unavailable(let reasons): .failure(RemoteForwarder.unavailable(upstream, reasons: reasons))
                case .unknownModel: .failure(RemoteForwarder.unavailable(upstream, reasons: ["its configuration was just replaced"]))
                }
            },
            release: { pool.release($0) }, releaseUnreachable: { pool.releaseUnreachable($0, reason: $1) })
    }

    /// The peers that list `model` (the client's name for it). `notFound` is answered when none
    /// is up before any was tried; after a refusal, a 503.
    static func peer(_ model: String, directory: PeerDirectory, notFound: OpenAIError) -> Self {
        Self(
            modelID: model,
            acquire: { tried in
                if let chosen = directory.acquire(model, excluding: tried) { return .success(chosen) }
                guard !tried.isEmpty else { return .failure(notFound) }
                return .failure(OpenAIError(
                    status: 503, message: "model '\(model)' is unavailable: every peer that lists it is down",
                    type: "server_error", code: "model_unavailable", headers: HTTPHeaders([("Retry-After", "1")])))
            },
            release: { directory.release($0) }, releaseUnreachable: { directory.releaseUnreachable($0, reason: $1) },
            headers: [(PeerListing.header, "1")])
    }
}
