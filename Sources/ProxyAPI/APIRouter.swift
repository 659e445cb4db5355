import HTTPCodec
import ProxyHTTP

/// The one place that ties the HTTP server, the resolver and the pool together: it routes each
/// request to an endpoint of the proxy itself or to the model named in its body.
final class APIRouter: HTTPRequestHandler {
    private let dispatcher: ModelDispatcher
    private let models: ModelsEndpoint
    private let agents: AgentsEndpoint

    init(dispatcher: ModelDispatcher, models: ModelsEndpoint, agents: AgentsEndpoint) {
        self.dispatcher = dispatcher
        self.models = models
        self.agents = agents
    }

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        let path = request.head.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        switch (request.head.method, path) {
        case ("POST", _):
            dispatcher.dispatch(request, responder: responder)
        case ("GET", "/health"), ("HEAD", "/health"):
            responder.respond(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: Array("{\"status\":\"ok\"}".utf8))
        case ("GET", "/v1/models"), ("GET", "/models"):
            models.list(responder: responder)
        case ("GET", "/v1/agents"):
            agents.list(responder: responder)
        case ("GET", _) where path.hasPrefix("/v1/models/"):
            models.show(id: String(path.dropFirst("/v1/models/".count)), responder: responder)
        case ("GET", _), ("HEAD", _), ("DELETE", _):
            OpenAIError(status: 404, message: "no route for \(request.head.method) \(path)", type: "invalid_request_error", code: "not_found")
                .send(to: responder)
        default:
            OpenAIError(status: 405, message: "method \(request.head.method) is not allowed", type: "invalid_request_error", code: "method_not_allowed")
                .send(to: responder)
        }
    }
}
