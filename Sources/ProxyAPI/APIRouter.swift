import HTTPCodec
import ProxyConfig
import ProxyHTTP
import ProxyTime
import Synchronization

/// The one place that ties the HTTP server, the resolver and the pool together: it checks a
/// request's access, answers CORS preflights, and routes each request by its path to an endpoint
/// of the proxy itself or to a model: the one named by `/upstream/<model>/`, by a GET's `?model=`
/// (`ModelAddressedRoute`), or by the body (the only query parameter ever looked at is `model`).
final class APIRouter: HTTPRequestHandler {
    private let dispatcher: ModelDispatcher
    private let models: ModelsEndpoint
    private let agents: AgentsEndpoint
    private let metrics: MetricsEndpoint
    private let logs: LogsEndpoint
    private let operations: OperationsEndpoints
    private let loopback: LoopbackCredential
    private let requestLog: RequestLog
    private let policy: Mutex<RouterPolicy>

    init(dispatcher: ModelDispatcher, models: ModelsEndpoint, agents: AgentsEndpoint, metrics: MetricsEndpoint,
         logs: LogsEndpoint, operations: OperationsEndpoints, loopback: LoopbackCredential, requestLog: RequestLog,
         policy: RouterPolicy) {
        self.metrics = metrics
        self.logs = logs
        self.operations = operations
        self.dispatcher = dispatcher
        self.models = models
        self.agents = agents
        self.loopback = loopback
        self.requestLog = requestLog
        self.policy = Mutex(policy)
    }

    /// SIGHUP: the next request is checked against `policy`.
    func replacePolicy(_ policy: RouterPolicy) {
        self.policy.withLock { $0 = policy }
    }

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        let policy = self.policy.withLock { $0 }
        if request.head.method == "OPTIONS" {
            responder.respond(status: 204, headers: policy.cors.preflightHeaders(for: request.head.headers), body: [])
            return
        }
        let origin = request.head.headers["origin"]
        let cors = policy.cors
        responder.finalizeHeaders = { cors.finalize(&$0, origin: origin) }

        var request = request
        var fromAgent = false
        if request.head.headers.contains(LoopbackCredential.headerName) {
            fromAgent = loopback.isPresented(in: request.head.headers)
            // Never forwarded: the model has no use for it and must not learn the token.
            request.head.headers.remove(name: LoopbackCredential.headerName)
        }
        let method = request.head.method
        let path = request.head.path
        let access = RouteAccess.of(method: method, path: path, modelQuery: request.head.rawQueryValue(named: "model") != nil)
        guard fromAgent || policy.access.allows(access, headers: request.head.headers) else {
            OpenAIError.invalidAPIKey.send(to: responder)
            requestLog.record(request, model: nil, status: 401, bytes: 0, note: OpenAIError.invalidAPIKey.code)
            return
        }
        if policy.access.isEnabled { PresentedCredentials.remove(from: &request.head.headers) }
        route(request, method: method, path: path, fromAgent: fromAgent, responder: responder)
    }

    /// HEAD is answered as GET; the responder sends the head (with the GET body's length) only.
    /// The proxy's own answers are counted when they end; a POST's by the request log.
    private func route(_ request: HTTPServerRequest, method: String, path: Substring, fromAgent: Bool, responder: HTTPResponder) {
        switch ModelAddressedRoute.of(method: method, head: request.head) {
        case .upstream(let model, let target):
            dispatcher.dispatch(request, toModel: model, target: target, responder: responder)
            return
        case .query(let model):
            dispatcher.dispatch(request, toModel: model, target: nil, responder: responder)
            return
        case .badModelName(let message):
            let error = OpenAIError.invalidRequest(message, code: "invalid_model_name")
            error.send(to: responder)
            requestLog.record(request, model: nil, status: error.status, bytes: 0, note: error.code)
            return
        case nil:
            break
        }
        if method != "POST" || Self.ownPOSTPaths.contains(path) || path.hasPrefix("/unload/") {
            let counter = metrics.metrics
            responder.onEnded = { [unowned responder] in
                counter.recordRequest(request, model: "", status: responder.status, now: MonotonicClock.now(), tap: nil)
            }
        }
        switch (method == "HEAD" ? "GET" : method, path) {
        case ("POST", "/models/load"):
            operations.management.routerMode(.load, request: request, responder: responder)
        case ("POST", "/models/unload"):
            operations.management.routerMode(.unload, request: request, responder: responder)
        case ("GET", "/unload"), ("POST", "/unload"):
            operations.management.unloadAll(responder: responder)
        case ("GET", _) where path.hasPrefix("/unload/"), ("POST", _) where path.hasPrefix("/unload/"):
            operations.management.unload(pathName: path.dropFirst("/unload/".count), responder: responder)
        case ("GET", "/running"):
            operations.management.running(responder: responder)
        case ("GET", "/admin/status"):
            operations.status.serve(responder: responder)
        case ("GET", "/events"):
            operations.events.subscribe(responder, pool: operations.pool)
        case ("GET", "/"), ("GET", "/ui"):
            StatusPage.serve(responder: responder)
        case ("POST", _):
            dispatcher.dispatch(request, fromAgent: fromAgent, responder: responder)
        case ("GET", "/metrics"):
            metrics.serve(responder: responder)
        case ("GET", "/health"):
            responder.respond(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array("{\"status\":\"ok\"}".utf8))
        case ("GET", "/v1/models"), ("GET", "/models"):
            // A peer asking gets this proxy's own models only, not its peers'.
            models.list(withPeers: request.head.headers[PeerListing.header] == nil, responder: responder)
        case ("GET", "/v1/agents"):
            agents.list(responder: responder)
        case ("GET", _) where path.hasPrefix("/v1/models/"):
            models.show(id: String(path.dropFirst("/v1/models/".count)), responder: responder)
        case ("GET", _) where LogRequest.isLogPath(path):
            logs.serve(request, responder: responder)
        case ("GET", _), ("DELETE", _):
            OpenAIError(status: 404, message: "no route for \(method) \(path)", type: "invalid_request_error", code: "not_found")
                .send(to: responder)
        default:
            OpenAIError(status: 405, message: "method \(method) is not allowed", type: "invalid_request_error", code: "method_not_allowed",
                        headers: HTTPHeaders([("Allow", CORSPolicy.allowedMethods)]))
                .send(to: responder)
        }
    }

    /// POSTs the proxy answers itself (every other POST goes to a model).
    static let ownPOSTPaths: Set<Substring> = ["/models/load", "/models/unload", "/unload"]
}
