import HTTPCodec
import ProxyHTTP
import ProxyJSON
import ProxyPool
import ProxyTime
import Synchronization

/// `GET /events`: the pool's changes as JSON events on one `StreamHub`. Each client first gets a
/// `snapshot` of every model, then `state` events (loading, ready, unloading with its reason,
/// stopped, failed with its error), `queue` events (requests waiting, and in flight, for a model)
/// and, at each heartbeat, a `progress` event per model that is loading (seconds so far).
/// The pool calls `poolChanged` under its lock: it serialises and hands the bytes to the hub,
/// which only enqueues them on the clients' loops.
final class PoolEventFeed: PoolObserver {
    private let hub: StreamHub
    private let loads: LoadStarts

    /// Loading models, and since when (monotonic nanoseconds), for the progress events.
    private final class LoadStarts: Sendable {
        let byModel = Mutex<[String: UInt64]>([:])
    }

    /// `limits.event_buffer`, `timeouts.events_heartbeat_seconds`.
    init(bufferLimit: Int, heartbeatSeconds: Double) {
        let loads = LoadStarts()
        self.loads = loads
        hub = StreamHub(bufferLimit: bufferLimit, heartbeatSeconds: heartbeatSeconds) { Self.heartbeat(loads) }
    }

    var isObserving: Bool { hub.subscribers > 0 }

    func poolChanged(_ events: [PoolEvent]) {
        let now = MonotonicClock.now()
        loads.byModel.withLock { loading in
            for case let .state(modelID, state, _, _) in events {
                if state == .starting { loading[modelID] = now } else { loading[modelID] = nil }
            }
        }
        for event in events { hub.publish(StreamHub.event(data: Self.json(event).serialized())) }
    }

    /// Starts a client's stream with the snapshot (taken under the pool's lock, so no change
    /// falls between it and the events that follow).
    /// A `HEAD` gets the stream's head only, and ends.
    func subscribe(_ responder: HTTPResponder, pool: ServerPool) {
        if responder.requestHead.method == "HEAD" {
            return responder.respond(status: 200, headers: HTTPHeaders([("Content-Type", "text/event-stream")]), body: [])
        }
        pool.withStatuses { statuses, _ in
            loads.byModel.withLock { loading in
                loading = loading.filter { statuses[$0.key]?.state == .starting }
                for (modelID, status) in statuses where status.state == .starting && loading[modelID] == nil {
                    loading[modelID] = MonotonicClock.now()
                }
            }
            hub.subscribe(responder, first: StreamHub.event(data: Self.snapshot(statuses).serialized()))
        }
    }

    /// Shutdown: every stream ends now, so none holds up the grace period.
    func finishAll() {
        hub.finishAll()
    }

    /// What each heartbeat sends: progress of the loads under way, then a comment.
    private static func heartbeat(_ starts: LoadStarts) -> [UInt8] {
        let now = MonotonicClock.now()
        let loads = starts.byModel.withLock { $0 }.sorted { $0.key < $1.key }
        var bytes: [UInt8] = []
        for (modelID, since) in loads {
            bytes += StreamHub.event(data: JSONValue.object([
                ("type", .string("progress")), ("model", .string(modelID)), ("state", .string("loading")),
                ("elapsed_seconds", .number((Double(now &- min(now, since)) / 1e8).rounded() / 10)),
            ]).serialized())
        }
        return bytes + StreamHub.comment("heartbeat")
    }

    static func snapshot(_ statuses: [String: ModelStatus]) -> JSONValue {
        .object([
            ("type", .string("snapshot")),
            ("time", .number(WallClock.now().unixSeconds.rounded())),
            ("models", .array(statuses.sorted { $0.key < $1.key }.map { modelID, status in
                .object([
                    ("model", .string(modelID)), ("state", .string(ModelsEndpoint.stateName(status.state))),
                    ("pid", status.pid.map { .int(Int($0)) } ?? .null), ("device", status.device.map { .string($0) } ?? .null),
                    ("in_flight", .int(status.inFlight)), ("queued", .int(status.queued)),
                ])
            })),
        ])
    }

    /// `{"type":"state","model":..,"state":"unloading","reason":"evicted"}`; a failed load or a
    /// child that died on its own is `"state":"failed"` with its `error` (then `unloaded`, once a
    /// child that still has to exit is gone). A busy model asked to unload is `unloading` from
    /// then on, while its requests in flight finish.
    static func json(_ event: PoolEvent) -> JSONValue {
        switch event {
        case .state(let modelID, let state, let reason, let failure):
            // A ready model with a stop reason drains before it stops: it is being unloaded.
            let name = failure != nil && state != .ready ? "failed" : reason != nil ? "unloading" : ModelsEndpoint.stateName(state)
            return .object([
                ("type", .string("state")), ("model", .string(modelID)), ("state", .string(name)),
                ("reason", reason.map { .string($0) } ?? .null), ("error", failure.map { .string($0) } ?? .null),
            ])
        case .queue(let modelID, let queued, let inFlight):
            return .object([
                ("type", .string("queue")), ("model", .string(modelID)), ("queued", .int(queued)), ("in_flight", .int(inFlight)),
            ])
        }
    }
}
