import HTTPCodec
import ProxyHTTP
import ProxyJSON
import ProxyPool
import ProxyResolver

/// `GET /v1/models` in OpenAI's shape, plus each model's state in the pool (with its requests in
/// flight and queued) and its aliases.
struct ModelsEndpoint: Sendable {
    let catalog: ModelCatalog
    let pool: ServerPool
    let created: Int

    /// The listing of the models folder may run first, off the loop; the answer is sent from the loop.
    func list(responder: HTTPResponder) {
        catalog.withCurrentModels { [self] models in
            onLoop(of: responder) { [self] in
                let statuses = pool.statuses()
                let data = models.map { entry($0, status: statuses[$0.id]) }
                respond(.object([("object", .string("list")), ("data", .array(data))]), responder: responder)
            }
        }
    }

    func show(id: String, responder: HTTPResponder) {
        catalog.withCurrentModels { [self] models in
            onLoop(of: responder) { [self] in
                guard let model = models.first(where: { $0.id == id }) else {
                    OpenAIError(status: 404, message: "model '\(id)' not found", type: "invalid_request_error", code: "model_not_found")
                        .send(to: responder)
                    return
                }
                respond(entry(model, status: pool.statuses()[model.id]), responder: responder)
            }
        }
    }

    private func onLoop(of responder: HTTPResponder, _ work: @escaping @Sendable () -> Void) {
        if responder.loop.inLoop { work() } else { responder.loop.execute(work) }
    }

    private func entry(_ model: ResolvedModel, status: ModelStatus?) -> JSONValue {
        .object([
            ("id", .string(model.id)),
            ("object", .string("model")),
            ("owned_by", .string("llama-smart-proxy")),
            ("created", .int(created)),
            ("state", .string(Self.stateName(status?.state ?? .stopped))),
            ("in_flight", .int(status?.inFlight ?? 0)),
            ("queued", .int(status?.queued ?? 0)),
            ("aliases", .array(model.aliases.map { .string($0) })),
            ("source", .string(model.origin == .configured ? "config" : "models_dir")),
        ])
    }

    static func stateName(_ state: ModelState) -> String {
        switch state {
        case .stopped: "unloaded"
        case .starting: "loading"
        case .ready: "ready"
        case .stopping: "unloading"
        }
    }

    private func respond(_ value: JSONValue, responder: HTTPResponder) {
        responder.respond(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: value.serialized())
    }
}
