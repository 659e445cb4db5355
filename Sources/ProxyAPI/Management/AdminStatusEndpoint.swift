import Foundation
import ProxyJSON
import ProxyHTTP
import ProxyPool
import ProxyResolver
import ProxyTime

/// `GET /admin/status`: every known model with what the pool knows of it (state, pid, device,
/// estimated, measured and placed memory, uptime, last use, requests in flight and queued, the
/// last load's duration, the last error, restarts), each device's budget and use, the loaded
/// agents and the last requests (`limits.recent_requests`). What the status page shows.
struct AdminStatusEndpoint: Sendable {
    let catalog: ModelCatalog
    let pool: ServerPool
    let agents: AgentHost
    let recent: RecentRequests
    let startedAt: UInt64

    func serve(responder: HTTPResponder) {
        catalog.withCurrentModels { [self] models in
            responder.loop.executeSoon { [self] in
                ManagementEndpoint.respond(report(models), responder: responder)
            }
        }
    }

    func report(_ models: [ResolvedModel]) -> JSONValue {
        let (statuses, histories) = pool.report()
        let now = MonotonicClock.now()
        let launches = catalog.snapshot.launches
        let entries = models.map { model in
            entry(model.id, spec: launches[model.id]?.spec, status: statuses[model.id], history: histories[model.id], now: now)
        }
        return .object([
            ("version", .string(ProxyVersion.current)),
            ("uptime_seconds", Self.seconds(now &- min(now, startedAt))),
            ("models", .array(entries)),
            ("devices", .array(devices(statuses))),
            ("agents", .array(AgentsEndpoint.entries(agents.current))),
            ("recent_requests", .array(recent.entries.reversed().map(RecentRequests.json))),
        ])
    }

    private func entry(_ modelID: String, spec: LaunchSpec?, status: ModelStatus?, history: ModelHistory?, now: UInt64) -> JSONValue {
        let state = status?.state ?? .stopped
        let history = history ?? ModelHistory()
        let estimate = spec?.memoryBytes ?? 0
        return .object([
            ("id", .string(modelID)),
            ("state", .string(ModelsEndpoint.stateName(state))),
            ("pid", status?.pid.map { .int(Int($0)) } ?? .null),
            ("device", status?.device.map { .string($0) } ?? .null),
            ("memory_estimate_mib", .int(ModelsEndpoint.mebibytes(estimate))),
            ("memory_measured_mib", status?.measuredBytes.map { .int(ModelsEndpoint.mebibytes($0)) } ?? .null),
            ("memory_reported_mib", status?.reportedBytes.map { .int(ModelsEndpoint.mebibytes($0)) } ?? .null),
            ("memory_mib", .int(ModelsEndpoint.mebibytes(ModelsEndpoint.placedBy(status, estimate: estimate)))),
            ("uptime_seconds", state == .ready && history.readyAt > 0 ? Self.seconds(now &- min(now, history.readyAt)) : .null),
            ("last_used_seconds_ago", history.lastUsed > 0 ? Self.seconds(now &- min(now, history.lastUsed)) : .null),
            ("in_flight", .int(status?.inFlight ?? 0)),
            ("queued", .int(status?.queued ?? 0)),
            ("last_load_seconds", history.lastLoadDuration > 0 ? Self.seconds(history.lastLoadDuration) : .null),
            ("last_error", history.lastError.map { .string($0) } ?? .null),
            ("restarts", .int(history.restarts)),
            ("stop_reason", history.stopReason.map { .string($0) } ?? .null),
            ("pinned", .bool(spec?.lifetime.pinned ?? false)),
            ("rpc_servers", ModelsEndpoint.rpcServers(spec, device: status?.device, devices: pool.devices)),
        ])
    }

    /// Each device's budget (null: unlimited) and what the models on it are counted for.
    private func devices(_ statuses: [String: ModelStatus]) -> [JSONValue] {
        pool.devices.map { device in
            let used = statuses.values.filter { $0.state != .stopped && $0.device == device.name }.reduce(UInt64(0)) { $0 &+ $1.memoryBytes }
            let models = statuses.filter { $0.value.state != .stopped && $0.value.device == device.name }.keys.sorted()
            return .object([
                ("name", .string(device.name)),
                ("budget_mib", device.memoryBytes == .max ? .null : .int(ModelsEndpoint.mebibytes(device.memoryBytes))),
                ("used_mib", .int(ModelsEndpoint.mebibytes(used))),
                ("models", .array(models.map { .string($0) })),
            ])
        }
    }

    /// Seconds, to the millisecond.
    static func seconds(_ nanoseconds: UInt64) -> JSONValue {
        .number((Double(nanoseconds) / 1e6).rounded() / 1000)
    }
}
