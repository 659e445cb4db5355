import HTTPCodec
import ProxyHTTP
import ProxyJSON
import ProxyPool
import ProxyResolver

/// `GET /v1/models` in OpenAI's shape, plus each model's state in the pool (with its requests in
/// flight and queued), its aliases, and its lifetime: pinned, TTL, group, and when an idle
/// loaded model will be unloaded.
struct ModelsEndpoint: Sendable {
    let catalog: ModelCatalog
    let pool: ServerPool
    let created: Int

    /// The listing of the models folder may run first, off the loop; the answer is sent from the loop.
    func list(responder: HTTPResponder) {
        catalog.withCurrentModels { [self] models in
            onLoop(of: responder) { [self] in
                let statuses = pool.statuses()
                let clock = WallClock.now()
                let launches = catalog.snapshot.launches
                let data = models.map {
                    entry($0, status: statuses[$0.id], lifetime: launches[$0.id]?.spec.lifetime, clock: clock)
                }
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
                let lifetime = catalog.snapshot.launches[model.id]?.spec.lifetime
                respond(entry(model, status: pool.statuses()[model.id], lifetime: lifetime, clock: .now()), responder: responder)
            }
        }
    }

    private func onLoop(of responder: HTTPResponder, _ work: @escaping @Sendable () -> Void) {
        if responder.loop.inLoop { work() } else { responder.loop.execute(work) }
    }

    private func entry(_ model: ResolvedModel, status: ModelStatus?, lifetime: ModelLifetime?, clock: WallClock) -> JSONValue {
        let lifetime = lifetime ?? ModelLifetime()
        let expiresIn = status?.expiresAt.map { clock.secondsUntil($0) }
        return .object([
            ("id", .string(model.id)),
            ("object", .string("model")),
            ("owned_by", .string("llama-smart-proxy")),
            ("created", .int(created)),
            ("state", .string(Self.stateName(status?.state ?? .stopped))),
            ("in_flight", .int(status?.inFlight ?? 0)),
            ("queued", .int(status?.queued ?? 0)),
            ("aliases", .array(model.aliases.map { .string($0) })),
            ("source", .string(model.origin == .configured ? "config" : "models_dir")),
            ("pinned", .bool(lifetime.pinned)),
            ("ttl_seconds", Self.seconds(lifetime.ttlSeconds)),
            ("group", lifetime.group.map { .string($0.name) } ?? .null),
            ("expires_in_seconds", expiresIn.map { Self.seconds(($0 * 10).rounded(.up) / 10) } ?? .null),
            ("expires_at", expiresIn.map { .int(Int((clock.unixSeconds + $0).rounded(.up))) } ?? .null),
        ])
    }

    /// Whole seconds as an integer, others with their fraction.
    static func seconds(_ value: Double) -> JSONValue {
        value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .number(value)
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
