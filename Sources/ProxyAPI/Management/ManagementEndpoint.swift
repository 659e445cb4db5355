import HTTPCodec
import ProxyHTTP
import ProxyJSON
import ProxyPool

/// Loading and unloading on demand, in the shapes of llama.cpp's router mode
/// (`POST /models/load`, `POST /models/unload` with `{"model": ...}`, answered
/// `{"success": true}`) and of llama-swap (`GET /running`, `GET|POST /unload`, `/unload/<model>`,
/// answered `OK`). Names resolve as a request's `model` does (aliases, variants, the models
/// folder); an unknown one is a 404 `model_not_found`. A load answers at once unless the target
/// asks `?wait=true`: then it answers when the model is ready (or with the error that failed it).
/// A load is an acquire that is released as soon as it is served, so it queues, makes room and
/// evicts exactly as a request would. A load or unload of a model only a peer has goes to that
/// peer's own management API (the one its requests would go to), whose answer is passed back.
struct ManagementEndpoint: Sendable {
    let catalog: ModelCatalog
    let pool: ServerPool
    let peers: PeerDirectory
    let forwarder: RemoteForwarder

    enum Action: Sendable { case load, unload }

    /// `POST /models/load` and `/models/unload`: the body names the model.
    func routerMode(_ action: Action, request: HTTPServerRequest, responder: HTTPResponder) {
        switch ModelDispatcher.requestedModel(in: request.body) {
        case .failure(let error):
            error.send(to: responder)
        case .success(let fields):
            let wait = request.head.rawQueryValue(named: "wait").map { $0 == "" || $0 == "true" || $0 == "1" } ?? false
            withModel(fields.model, responder: responder, orPeerFor: request) { launch in
                switch action {
                case .load: load(launch, wait: wait, responder: responder)
                case .unload: unload(launch.spec.modelID, plain: false, responder: responder)
                }
            }
        }
    }

    /// `/unload/<model>` (llama-swap): the rest of the path, percent-decoded, names the model.
    func unload(pathName: Substring, responder: HTTPResponder) {
        guard let name = PercentDecoding.decode(pathName), !name.isEmpty else {
            OpenAIError.invalidRequest("name a model: /unload/<model> (GET /v1/models lists them)", code: "invalid_model_name")
                .send(to: responder)
            return
        }
        withModel(name, responder: responder) { launch in unload(launch.spec.modelID, plain: true, responder: responder) }
    }

    /// `GET|POST /unload` (llama-swap): every loaded or loading model.
    func unloadAll(responder: HTTPResponder) {
        pool.unloadAll()
        Self.respondOK(responder)
    }

    /// `GET /running` (llama-swap): the models that hold a slot, with llama-swap's state names.
    func running(responder: HTTPResponder) {
        let running = pool.statuses().filter { $0.value.state != .stopped }.sorted { $0.key < $1.key }
        let body = JSONValue.object([
            ("running", .array(running.map { modelID, status in
                .object([("model", .string(modelID)), ("state", .string(status.state.rawValue))])
            })),
        ])
        Self.respond(body, responder: responder)
    }

    /// `request`: sent on to a peer that lists the name when it is none of this proxy's own.
    private func withModel(_ name: String, responder: HTTPResponder, orPeerFor request: HTTPServerRequest? = nil,
                           _ body: @escaping @Sendable (ModelLaunch) -> Void) {
        catalog.resolve(name) { [peers, forwarder] resolution, launch in
            responder.loop.executeSoon {
                guard let launch else {
                    let error = ModelDispatcher.resolutionError(resolution, name: name)
                    if case .notFound = resolution, let request, peers.mayServe(request) {
                        responder.onEnded = nil  // the request log counts it, as it does every request a peer serves
                        forwarder.forward(request, body: request.body, route: .peer(name, directory: peers, notFound: error), target: nil,
                                          responder: responder)
                        return
                    }
                    error.send(to: responder)
                    return
                }
                body(launch)
            }
        }
    }

    private func load(_ launch: ModelLaunch, wait: Bool, responder: HTTPResponder) {
        let pool = pool
        let modelID = launch.spec.modelID
        let ticket = pool.acquire(launch.spec) { result in
            if case .success(let lease) = result { pool.release(lease) }
            guard wait else { return }
            responder.loop.executeSoon {
                guard !responder.isClientGone else { return }
                switch result {
                case .success: Self.success(modelID, state: "ready", responder: responder)
                case .failure(let error): ModelDispatcher.poolError(error).send(to: responder)
                }
            }
        }
        if wait {
            if ticket.isWaiting { responder.onClientGone = { ticket.cancel() } }
        } else {
            Self.success(modelID, state: ModelsEndpoint.stateName(pool.state(of: modelID) ?? .stopped), responder: responder)
        }
    }

    /// Router mode's answer names the state after the request: `unloading` while the model
    /// drains or stops, `unloaded` when it was not loaded.
    private func unload(_ modelID: String, plain: Bool, responder: HTTPResponder) {
        pool.unload(modelID)
        if plain { return Self.respondOK(responder) }
        let state = pool.state(of: modelID) ?? .stopped
        Self.success(modelID, state: state == .stopped ? "unloaded" : "unloading", responder: responder)
    }

    private static func success(_ modelID: String, state: String, responder: HTTPResponder) {
        respond(.object([("success", .bool(true)), ("model", .string(modelID)), ("state", .string(state))]), responder: responder)
    }

    private static func respondOK(_ responder: HTTPResponder) {
        responder.respond(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8")]), body: Array("OK".utf8))
    }

    static func respond(_ value: JSONValue, responder: HTTPResponder) {
        responder.respond(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")]), body: value.serialized())
    }
}
