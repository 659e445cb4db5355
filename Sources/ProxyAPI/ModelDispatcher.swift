import Endpoints
import HTTPCodec
import ProxyAgents
import ProxyHTTP
import ProxyJSON
import ProxyPool
import ProxyResolver

/// Routes a POST by the `model` in its JSON body or its `multipart/form-data` form, and a request
/// addressed by its target (`ModelAddressedRoute`) to the model it names: resolve, get a ready
/// server from the pool (starting it if needed), forward byte for byte, release, log.
final class ModelDispatcher: Sendable {
    private let catalog: ModelCatalog
    private let pool: ServerPool
    private let proxy: ReverseProxy
    private let requestLog: RequestLog
    private let agents: AgentHost
    private let agentRunner: AgentRunner
    /// Models served at URLs, and by peers, go there instead of to the pool.
    private let remote: RemoteForwarder
    private let remotes: RemotePool
    /// Other proxies, for names that are not this one's models.
    private let peers: PeerDirectory
    /// Bounds a multipart part's headers and its `model` value (`limits.max_header_bytes`).
    private let multipartLimit: Int
    let hooks: ResponseHooks

    init(catalog: ModelCatalog, pool: ServerPool, proxy: ReverseProxy, requestLog: RequestLog,
         agents: AgentHost, agentRunner: AgentRunner, remotes: RemotePool, peers: PeerDirectory, multipartLimit: Int,
         hookLimits: ResponseHooks.Limits) {
        self.multipartLimit = multipartLimit
        hooks = ResponseHooks(route: agents.inProcess, limits: hookLimits)
        self.remotes = remotes
        self.peers = peers
        remote = RemoteForwarder(proxy: proxy, requestLog: requestLog)
        self.agents = agents
        self.agentRunner = agentRunner
        self.catalog = catalog
        self.pool = pool
        self.proxy = proxy
        self.requestLog = requestLog
    }

    /// Chat requests whose last user message starts with a registered `/command` go to that agent
    /// first (not an agent's own call, `fromAgent`); everything else is routed as it came, byte for byte.
    /// The proxy's own requests (agents' calls, hooks' rounds) skip the agents, the model agents
    /// (`models.ID.agent`) and the response hooks.
    func dispatch(_ request: HTTPServerRequest, fromAgent: Bool, responder: HTTPResponder) {
        guard !fromAgent, Self.agentPaths.contains(request.head.path),
              let lookup = AgentInvocationRequest.find(in: request.body, registry: agents.current)
        else {
            route(request, body: request.body, responder: responder, stages: fromAgent ? .none : .all)
            return
        }
        switch lookup {
        case .agent(let invocation):
            runAgent(invocation, request: request, responder: responder, stages: .all)
        case .skipped(let command, let file, let model):
            fail(Self.skippedPluginError(command: command, file: file), request: request, model: model, resolved: false, responder: responder)
        }
    }

    /// A request to a model with an agent (`models.ID.agent`) goes to that agent, with no
    /// arguments; what the agent forwards, and its own calls, go to the model itself.
    private func runModelAgent(_ command: String, model: String, request: HTTPServerRequest, body: [UInt8], stream: Bool,
                               responder: HTTPResponder) {
        var request = request
        request.body = body
        guard let match = agents.current.match("/" + command) else {
            fail(OpenAIError(status: 503, message: "model '\(model)' answers through the agent /\(command), which is not loaded",
                             type: "agent_error", code: "agent_unavailable"),
                 request: request, model: model, resolved: false, responder: responder)
            return
        }
        runAgent(AgentInvocationRequest(match: match, model: model, stream: stream), request: request, responder: responder,
                 stages: .afterModelAgent)
    }

    /// A request whose answer goes through the response hook `name` (`ResponseHookExchange`): its
    /// rounds go to the model as the proxy's own requests.
    private func runHooked(_ name: String, model: String, request: HTTPServerRequest, body: [UInt8], stream: Bool,
                           responder: HTTPResponder) {
        guard let hook = agents.current.hooks[name] else {
            metrics?.recordHookExchange(hook: name, outcome: "unavailable")
            fail(OpenAIError(status: 503, message: "the answer for model '\(model)' goes through the response hook \(name), which is not loaded",
                             type: "hook_error", code: "hook_unavailable"),
                 request: request, model: model, resolved: false, responder: responder)
            return
        }
        hooks.start(hook, body: body, model: model, clientStreams: stream, responder: responder) { [requestLog] ending in
            requestLog.metrics?.recordHookExchange(hook: name, outcome: ending.outcome)
            requestLog.record(request, model: model, status: ending.status, bytes: responder.bodyBytesSent, note: ending.note,
                              resolved: false)
        }
    }

    /// Runs an agent; its reply (`AgentReplyChannel`) answers the client, or forwards the request
    /// through what is left of `stages` (its answer through the agent's own response hook, if it names one).
    private func runAgent(_ invocation: AgentInvocationRequest, request: HTTPServerRequest, responder: HTTPResponder,
                          stages: RouteStages) {
        let stages = invocation.match.agent.responseHook.map { RouteStages(modelAgent: stages.modelAgent, hook: .named($0)) } ?? stages
        let command = "/" + invocation.match.agent.command
        let channel = agents.replies.open { id, closed in
            AgentReplyChannel(
                id: id, responder: responder, model: invocation.model, clientStreams: invocation.stream,
                timeout: agentRunner.timeout,
                answers: AgentReplyChannel.Answers(
                    deliver: { [self] result in
                        answer(result, of: invocation, request: request, responder: responder, stages: stages)
                    },
                    timedOut: { [self] in
                        fail(OpenAIError(status: 504, message: "\(command) did not answer within \(agentRunner.timeout) s",
                                         type: "agent_error", code: "agent_timeout"),
                             request: request, model: invocation.model, resolved: false, responder: responder)
                    },
                    streamEnded: { [self] status, note in
                        requestLog.record(request, model: invocation.model, status: status, bytes: responder.bodyBytesSent,
                                          note: "\(note) by \(command)", resolved: false)
                    }),
                closed: closed)
        }
        channel.start()
        agentRunner.run(invocation, reply: channel.id, body: request.body, loop: responder.loop) { [self] outcome in
            if let label = Self.metricsLabel(outcome) { metrics?.recordAgentCall(command: command, outcome: label) }
            switch outcome {
            case .finished(let result):
                channel.handlerReturned(result)
            case .timedOut:
                channel.handlerTimedOut()
            case .busy:
                channel.abandon()
                fail(OpenAIError(status: 503, message: "\(command): every agent thread is busy and the agent queue is full; retry later",
                                 type: "server_error", code: "agent_busy"),
                     request: request, model: invocation.model, resolved: false, responder: responder)
            }
        }
    }

    /// An agent's result when nothing of its reply was written yet: forwarded, patched,
    /// answered or failed.
    private func answer(_ result: AgentResult, of invocation: AgentInvocationRequest, request: HTTPServerRequest,
                        responder: HTTPResponder, stages: RouteStages) {
        let command = "/" + invocation.match.agent.command
        switch result {
        case .continueWith(let rewritten):
            let body = Array(rewritten.utf8)
            agents.logModelRequest(of: command, body: body, patched: false)
            route(request, body: body, responder: responder, stages: stages)
        case .patch(let patch):
            do {
                let patched = try ChatRequestPatch.apply(Array(patch.utf8), to: request.body)
                metrics?.recordAgentCall(command: command, outcome: "patch")
                agents.logModelRequest(of: command, body: patched, patched: true)
                route(request, body: patched, responder: responder, stages: stages)
            } catch {
                metrics?.recordAgentCall(command: command, outcome: "invalid_patch")
                fail(OpenAIError(status: 500, message: "\(command) returned an invalid patch: \(error)", type: "agent_error", code: "agent_failed"),
                     request: request, model: invocation.model, resolved: false, responder: responder)
            }
        case .reply(let text):
            AgentReply.send(text, model: invocation.model, stream: invocation.stream, to: responder)
            requestLog.record(request, model: invocation.model, status: 200, bytes: responder.bodyBytesSent, note: "answered by \(command)",
                              resolved: false)
        case .fail(let status, let message):
            fail(OpenAIError(status: status, message: "\(command): \(message)", type: "agent_error", code: "agent_failed"),
                 request: request, model: invocation.model, resolved: false, responder: responder)
        case .pending:
            fail(OpenAIError(status: 500, message: "\(command) left its reply pending", type: "agent_error", code: "agent_failed"),
                 request: request, model: invocation.model, resolved: false, responder: responder)
        }
    }

    private static let agentPaths: Set<Substring> = ["/v1/chat/completions", "/chat/completions"]

    /// A `/command` whose plugin file was skipped at the last load: 503, naming the file and why.
    static func skippedPluginError(command: String, file: SkippedPluginFile) -> OpenAIError {
        let which = file.commandsGuessed ? "the plugin file that would serve /\(command) by its name" : "the plugin file that serves /\(command)"
        return OpenAIError(
            status: 503, message: "\(which), \(file.path), was not loaded: \(file.reason)", type: "agent_error", code: "agent_unavailable")
    }

    /// A request addressed by its target: forwarded as it came (its body included) to `name`'s
    /// server, as `target` when given (`/upstream/<model>` stripped).
    func dispatch(_ request: HTTPServerRequest, toModel name: String, target: String?, responder: HTTPResponder) {
        resolve(request, body: request.body, fields: RequestFields(model: name, stream: false), target: target, isJSON: false,
                responder: responder)
    }

    private var metrics: ProxyMetrics? { requestLog.metrics }

    /// The `outcome` label of an agent call; a patch's (`patch` or `invalid_patch`) once it is applied.
    static func metricsLabel(_ outcome: AgentRunner.Outcome) -> String? {
        switch outcome {
        case .finished(.continueWith): "continue"
        case .finished(.patch): nil
        case .finished(.reply): "reply"
        case .finished(.fail): "fail"
        case .finished(.pending): "pending"
        case .timedOut: "timeout"
        case .busy: "busy"
        }
    }

    /// Resolves the body's model and forwards `body` (the client's, or an agent's rewrite), through
    /// the `stages` it still has to pass: the model's agent, a response hook.
    private func route(_ request: HTTPServerRequest, body: [UInt8], responder: HTTPResponder, stages: RouteStages) {
        guard !responder.isClientGone else { return }
        let contentType = request.head.headers["content-type"]
        let isForm = MultipartBoundary.isFormData(contentType: contentType)
        let requested = isForm
            ? Self.requestedModel(inForm: body, contentType: contentType ?? "", limit: multipartLimit)
            : Self.requestedModel(in: body)
        switch requested {
        case .success(let fields):
            resolve(request, body: body, fields: fields, target: nil, isJSON: !isForm, responder: responder,
                    stages: !isForm && Self.agentPaths.contains(request.head.path) ? stages : .none)
        case .failure(let error):
            fail(error, request: request, model: nil, responder: responder)
        }
    }

    /// `isJSON`: the model came from a JSON body, which the model's filters may patch.
    private func resolve(_ request: HTTPServerRequest, body: [UInt8], fields: RequestFields, target: String?, isJSON: Bool,
                         responder: HTTPResponder, stages: RouteStages = .none) {
        // A known name resolves synchronously; an unknown one may wait for a fresh listing of
        // the models folder, which runs off the loop.
        catalog.resolve(fields.model) { [self] resolution, launch in
            responder.loop.executeSoon { [self] in
                guard let launch else {
                    let error = Self.resolutionError(resolution, name: fields.model)
                    // A name that is none of this proxy's models may be a peer's (unless a peer sent it). A
                    // peer is a proxy: it gets the client's own target (`/upstream/<model>/...` included).
                    if case .notFound = resolution, peers.mayServe(request) {
                        remote.forward(request, body: body, route: .peer(fields.model, directory: peers, notFound: error), target: nil,
                                       responder: responder)
                        return
                    }
                    fail(error, request: request, model: fields.model, resolved: false, responder: responder)
                    return
                }
                if stages.modelAgent, let command = launch.agentCommand {
                    runModelAgent(command, model: fields.model, request: request, body: body, stream: fields.stream, responder: responder)
                    return
                }
                if let hookName = stages.hook.name(model: launch.responseHook) {
                    runHooked(hookName, model: fields.model, request: request, body: body, stream: fields.stream, responder: responder)
                    return
                }
                // Filters patch JSON bodies; a form or a request to a child's own endpoint passes as it came.
                let changes = isJSON ? launch.requestChanges(variant: resolution.variantName) : []
                switch Self.filtered(body, fields: fields, changes: changes) {
                case .success(let (filtered, _)) where launch.remote != nil:
                    remote.forward(request, body: filtered, route: .remote(launch.remote!, pool: remotes), target: target,
                                   responder: responder)
                case .success(let (filtered, filteredFields)):
                    acquire(request, body: filtered, launch: launch, fields: filteredFields, target: target, responder: responder)
                case .failure(let error):
                    fail(error, request: request, model: launch.spec.modelID, responder: responder)
                }
            }
        }
    }

    /// `retried`: this is the second try, after the first lease's child refused the connection.
    /// A streaming request that waits for a load may hear about it (`LoadingNotifier`); once its
    /// event stream started (`stream`), the answer continues it and an error ends it as an event.
    /// The request's `keep_alive` (in `fields`) goes to the pool with the release.
    private func acquire(_ request: HTTPServerRequest, body: [UInt8], launch: ModelLaunch, fields: RequestFields, target: String?,
                         responder: HTTPResponder, retried: Bool = false, stream: EarlyEventStream? = nil) {
        let notifier = LoadingNotifier.make(
            path: request.head.path, streams: fields.stream, launch: launch, pool: pool, responder: responder, stream: stream)
        let ticket = pool.acquire(launch.spec, affinity: Self.affinity(of: body, spec: launch.spec)) { [self] result in
            responder.loop.executeSoon { [self] in
                let started = notifier?.finish(served: (try? result.get()) != nil && !responder.isClientGone) ?? stream
                switch result {
                case .success(let lease):
                    if launch.spec.replicas > 1 { Self.nameReplica(lease.replica, on: responder) }
                    forward(request, body: body, target: target, lease: lease, keepAlive: fields.keepAlive, responder: responder,
                            retried: retried, continuing: started) { [self] in
                        acquire(request, body: body, launch: launch, fields: fields, target: target, responder: responder,
                                retried: true, stream: started)
                    }
                case .failure(let error) where error.kind == .cancelled || responder.isClientGone:
                    requestLog.record(request, model: launch.spec.modelID, status: 499, bytes: responder.bodyBytesSent,
                                      note: "client gone while waiting")
                case .failure(let error):
                    fail(Self.poolError(error), request: request, model: launch.spec.modelID, responder: responder, stream: started)
                }
            }
        }
        // While it waits (for a slot, a load, room), a client that leaves takes its place in the
        // queue with it; a load nobody waits for any more is abandoned.
        if ticket.isWaiting {
            responder.onClientGone = { ticket.cancel() }
            notifier?.begin(ticket)
        }
    }

    /// The replica a conversation sticks to is chosen by the hash of its start (see
    /// `ChatRequestPatch.conversationStartRange`); only a model with replicas reads it.
    static func affinity(of body: [UInt8], spec: LaunchSpec) -> UInt64? {
        guard spec.replicas > 1, let range = ChatRequestPatch.conversationStartRange(in: body) else { return nil }
        return AffinityKey.of(body[range])
    }

    static let replicaHeader = "X-Llama-Proxy-Replica"

    /// The answer says which replica served it (a retry's replica replaces the first one's).
    static func nameReplica(_ replica: Int, on responder: HTTPResponder) {
        let earlier = responder.finalizeHeaders
        responder.finalizeHeaders = { headers in
            earlier?(&headers)
            headers.replaceOrAdd(name: replicaHeader, value: String(replica))
        }
    }

    /// A child that refuses the connection (it died a moment ago and its exit is not reaped yet)
    /// is reported to the pool, which kills it; the request, of which nothing was sent, is then
    /// acquired once more (`retry`) and served by a fresh start instead of getting a 502.
    /// `target`: the request target the child gets instead of the client's (the log keeps the client's).
    private func forward(_ request: HTTPServerRequest, body: [UInt8], target: String?, lease: ServerLease, keepAlive: KeepAlive?,
                         responder: HTTPResponder, retried: Bool, continuing: EarlyEventStream?, retry: @escaping () -> Void) {
        guard !responder.isClientGone else {
            pool.release(lease)
            requestLog.record(request, model: lease.modelID, status: 499, bytes: 0, note: "client gone while waiting")
            return
        }
        var upstreamRequest = request
        if let target { upstreamRequest.head.target = target }
        let tap = requestLog.metrics == nil ? nil : ResponseBodyTap()
        proxy.forward(
            upstreamRequest, body: body, to: lease.endpoint, reportUnreachable: !retried, continuing: continuing, tap: tap,
            responder: responder
        ) { [self] outcome in
            if case .unreachable = outcome { pool.releaseUnreachable(lease) } else { pool.release(lease, keepAlive: keepAlive) }
            switch outcome {
            case .unreachable:
                retry()
            case .completed(let status, let bytes):
                requestLog.record(request, model: lease.modelID, status: status, bytes: bytes, tap: tap)
            case .upstreamFailed(let reason):
                requestLog.record(request, model: lease.modelID, status: responder.status, bytes: responder.bodyBytesSent, note: reason)
            case .clientGone:
                requestLog.record(request, model: lease.modelID, status: 499, bytes: responder.bodyBytesSent, note: "client disconnected; upstream request abandoned")
            }
        }
    }

    /// Answers `error`; on an event stream already started, as its closing error event.
    private func fail(_ error: OpenAIError, request: HTTPServerRequest, model: String?, resolved: Bool = true, responder: HTTPResponder,
                      stream: EarlyEventStream? = nil) {
        if let stream {
            stream.fail(message: error.message, type: error.type, code: error.code)
        } else {
            error.send(to: responder)
        }
        requestLog.record(request, model: model, status: error.status, bytes: stream == nil ? 0 : responder.bodyBytesSent, note: error.code,
                          resolved: resolved)
    }

    /// `body` with the model's filters (and its variant's members) applied as byte edits, and
    /// what the proxy reads from it (stream, keep_alive) read again from the result; the model
    /// stays the name the client asked for.
    static func filtered(_ body: [UInt8], fields: RequestFields, changes: [TopLevelPatch.Change])
        -> Result<([UInt8], RequestFields), OpenAIError> {
        guard !changes.isEmpty else { return .success((body, fields)) }
        let filtered: [UInt8]
        do {
            filtered = try TopLevelPatch.apply(changes, to: body)
        } catch {
            return .failure(.invalidRequest(
                "the request body cannot be filtered for model '\(fields.model)': \(error)", code: "invalid_json"))
        }
        return requestedModel(in: filtered).map { read in
            (filtered, RequestFields(model: fields.model, stream: read.stream, keepAlive: read.keepAlive))
        }
    }

    /// What routing reads from a request body.
    struct RequestFields: Sendable, Equatable {
        var model: String
        /// It asks for a stream.
        var stream: Bool
        /// Its own `keep_alive`, if it has one.
        var keepAlive: KeepAlive?
    }

    /// The body's `model`, whether it asks for a stream, and its `keep_alive`.
    static func requestedModel(in body: [UInt8]) -> Result<RequestFields, OpenAIError> {
        guard !body.isEmpty else {
            return .failure(.invalidRequest("the request body is empty; send a JSON object with a \"model\"", code: "invalid_request"))
        }
        let summary: RequestBodySummary
        do {
            summary = try body.withUnsafeBytes { raw in try JSONScanner.scanRequestBody(raw) }
        } catch {
            return .failure(.invalidRequest("the request body is not a JSON object: \(error)", code: "invalid_json"))
        }
        guard let model = summary.model, !model.isEmpty else {
            return .failure(.invalidRequest("the request body has no \"model\" string", code: "missing_model"))
        }
        let fields = RequestFields(model: model, stream: summary.stream ?? false)
        guard let range = summary.keepAliveValueRange else { return .success(fields) }
        return KeepAliveValue.parse(body[range]).map { RequestFields(model: model, stream: fields.stream, keepAlive: $0) }
    }

    /// The `model` field of a `multipart/form-data` body (a form never asks for a stream here).
    static func requestedModel(inForm body: [UInt8], contentType: String, limit: Int) -> Result<RequestFields, OpenAIError> {
        let value: [UInt8]?
        do {
            let boundary = try MultipartBoundary.parse(contentType: contentType)
            value = try MultipartFieldScanner.value(of: "model", in: body, boundary: boundary, maxHeaderBytes: limit, maxValueBytes: limit)
        } catch {
            return .failure(.invalidRequest("the multipart/form-data body cannot be read: \(error)", code: "invalid_multipart"))
        }
        guard let value else {
            return .failure(.invalidRequest("the multipart/form-data body has no \"model\" field", code: "missing_model"))
        }
        guard let model = String(validating: value, as: UTF8.self), !model.isEmpty else {
            return .failure(.invalidRequest("the form's \"model\" field is empty or not UTF-8", code: "missing_model"))
        }
        return .success(RequestFields(model: model, stream: false))
    }

    static func resolutionError(_ resolution: Resolution, name: String) -> OpenAIError {
        switch resolution {
        case .ambiguous(let candidates):
            return .invalidRequest("model '\(name)' is ambiguous; one of: \(candidates.joined(separator: ", "))", code: "model_ambiguous")
        case .notFound(let suggestions) where !suggestions.isEmpty:
            return OpenAIError(status: 404, message: "model '\(name)' not found; did you mean: \(suggestions.joined(separator: ", "))?",
                               type: "invalid_request_error", code: "model_not_found")
        default:
            return OpenAIError(status: 404, message: "model '\(name)' not found; GET /v1/models lists the known models",
                               type: "invalid_request_error", code: "model_not_found")
        }
    }

    static func poolError(_ error: PoolError) -> OpenAIError {
        let tail = error.logTail.isEmpty ? "" : "\nlast lines of its log:\n" + error.logTail.joined(separator: "\n")
        var headers = HTTPHeaders()
        if let seconds = error.retryAfterSeconds { headers.add(name: "Retry-After", value: String(seconds)) }
        let code: String
        switch error.kind {
        case .startFailed: code = "model_start_failed"
        case .loadTimeout: code = "model_load_timeout"
        case .queueTimeout: code = "model_busy"
        case .shuttingDown: code = "shutting_down"
        case .unloaded: code = "model_unloaded"
        case .cancelled: code = "cancelled"  // never sent: its client is gone
        case .tooLarge:
            // 507: no retry helps until the configuration changes.
            return OpenAIError(status: 507, message: error.message, type: "server_error", code: "model_too_large")
        case .queueFull:
            // What OpenAI answers for too many requests, so clients back off and retry.
            return OpenAIError(status: 429, message: error.message, type: "requests", code: "rate_limit_exceeded", headers: headers)
        }
        return OpenAIError(status: 503, message: error.message + tail, type: "server_error", code: code, headers: headers)
    }
}
