import Endpoints
/// The servers of remote models: which are up, how many requests each has in flight, when each
/// is checked next, and which one a request goes to. A state machine: it only returns actions
/// (its driver, `RemotePool`, runs them), and takes the time (monotonic nanoseconds) as input.
///
/// - A request goes to the server with the fewest requests in flight among those not down,
///   ties broken round robin; one that is down is skipped until a health check passes.
/// - A server that refuses a connection is down at once (its request tries the next one), as is
///   one that fails a health check; one that passes is up.
/// - Every server is checked every `healthInterval`, up or down, one check at a time.
public struct RemoteScheduler: Sendable {
    public enum Action: Sendable, Equatable {
        /// Check this server (resolve its name, then GET the health path) off the event loops.
        case probe(modelID: String, serverID: UInt64, server: HostPort, path: String?, authorization: String?)
        /// Call `healthDue` for this server at `deadline`.
        case armTimer(modelID: String, serverID: UInt64, deadline: UInt64)
        case log(String)
    }

    public enum Choice: Sendable, Equatable {
        case server(RemoteLease)
        /// Every server not yet tried is down (or unresolved): the reasons, per server.
        case unavailable([String])
        case unknownModel
    }

    struct ModelState: Sendable {
        var upstream: RemoteUpstream
        var servers: [RemoteServerState]
        /// Where the round robin starts next.
        var nextTurn = 0
    }

    private(set) var models: [String: ModelState] = [:]
    private var nextServerID: UInt64 = 1

    public init() {}

    /// Takes the remote models of a (new) configuration. A server kept keeps its state and its
    /// timer; a new one is checked at once; a model or server no longer named is dropped (its
    /// requests in flight release into nothing). `resolved`: host name → numeric address, as
    /// far as the driver resolved them beforehand (a new server may take requests at once).
    public mutating func configure(_ upstreams: [RemoteUpstream], resolved: [String: String] = [:], now: UInt64) -> [Action] {
        var actions: [Action] = []
        var fresh: [String: ModelState] = [:]
        for upstream in upstreams {
            let old = models[upstream.modelID]
            let sameChecks = old.map { $0.upstream.healthPath == upstream.healthPath && $0.upstream.authorization == upstream.authorization
                && $0.upstream.healthInterval == upstream.healthInterval } ?? false
            var servers: [RemoteServerState] = []
            for server in upstream.servers {
                if sameChecks, let kept = old?.servers.first(where: { $0.server == server }) {
                    servers.append(kept)
                    continue
                }
                var state = RemoteServerState(id: nextServerID, server: server)
                state.resolvedHost = resolved[server.host]
                nextServerID += 1
                servers.append(state)
            }
            fresh[upstream.modelID] = ModelState(upstream: upstream, servers: servers, nextTurn: old?.nextTurn ?? 0)
            for index in servers.indices where servers[index].health == .unchecked && !servers[index].probing {
                fresh[upstream.modelID]!.servers[index].probing = true
                actions.append(probe(upstream, servers[index]))
            }
        }
        models = fresh
        return actions
    }

    /// The server for a request to `modelID`: the least busy eligible one not in `excluding`
    /// (the servers it already failed to reach), ties broken round robin. Counts it in flight.
    public mutating func choose(_ modelID: String, excluding: Set<UInt64> = []) -> Choice {
        guard var model = models[modelID] else { return .unknownModel }
        let count = model.servers.count
        var best: Int?
        for step in 0..<count {
            let index = (model.nextTurn + step) % count
            let server = model.servers[index]
            guard server.isEligible, !excluding.contains(server.id) else { continue }
            if best == nil || server.inFlight < model.servers[best!].inFlight { best = index }
        }
        guard let best, let host = model.servers[best].resolvedHost else {
            return .unavailable(model.servers.filter { !excluding.contains($0.id) }.map(Self.unavailability)
                + model.servers.filter { excluding.contains($0.id) }.map { "\($0.server): refused the connection" })
        }
        model.servers[best].inFlight += 1
        model.nextTurn = (best + 1) % count
        models[modelID] = model
        let server = model.servers[best]
        return .server(RemoteLease(modelID: modelID, serverID: server.id, server: server.server, endpoint: .tcp(host: host, port: server.server.port)))
    }

    /// The request is done (answered, failed after connecting, or its client left).
    public mutating func release(_ lease: RemoteLease) {
        update(lease.modelID, lease.serverID) { $0.inFlight = max(0, $0.inFlight - 1) }
    }

    /// The request could not connect: the server is down until a check passes.
    public mutating func releaseUnreachable(_ lease: RemoteLease, reason: String) -> [Action] {
        release(lease)
        return markDown(lease.modelID, lease.serverID, reason: reason)
    }

    /// A server's timer fired: check it (unless a check still runs).
    public mutating func healthDue(_ modelID: String, serverID: UInt64) -> [Action] {
        guard let model = models[modelID], let index = model.servers.firstIndex(where: { $0.id == serverID }),
              !model.servers[index].probing
        else { return [] }
        models[modelID]!.servers[index].probing = true
        return [probe(model.upstream, model.servers[index])]
    }

    /// A check's answer: `resolvedHost` is the numeric address its name resolved to (nil: it
    /// did not resolve), `healthy` whether it answered 200 (or accepted, without a health path).
    public mutating func probed(_ modelID: String, serverID: UInt64, resolvedHost: String?, healthy: Bool, now: UInt64) -> [Action] {
        guard let model = models[modelID], let index = model.servers.firstIndex(where: { $0.id == serverID }) else { return [] }
        models[modelID]!.servers[index].probing = false
        var actions: [Action]
        if let resolvedHost { models[modelID]!.servers[index].resolvedHost = resolvedHost }
        if healthy && resolvedHost != nil {
            actions = markUp(modelID, serverID)
        } else {
            let reason = resolvedHost == nil ? "cannot resolve \(model.servers[index].server.host)"
                : "failed its health check (\(model.upstream.healthPath.map { "GET \($0)" } ?? "connect"))"
            actions = markDown(modelID, serverID, reason: reason)
        }
        let interval = UInt64(min(max(model.upstream.healthInterval, 0.001), 1e9) * 1e9)
        actions.append(.armTimer(modelID: modelID, serverID: serverID, deadline: now &+ interval))
        return actions
    }

    /// Each remote model's servers, in configuration order.
    public func statuses() -> [String: [RemoteServerStatus]] {
        models.mapValues { model in
            model.servers.map { RemoteServerStatus(server: $0.server, health: $0.health, inFlight: $0.inFlight) }
        }
    }

    private mutating func markDown(_ modelID: String, _ serverID: UInt64, reason: String) -> [Action] {
        var wasDown = true
        update(modelID, serverID) { server in
            wasDown = server.health == .down && server.downReason == reason
            server.health = .down
            server.downReason = reason
        }
        guard !wasDown, let server = models[modelID]?.servers.first(where: { $0.id == serverID }) else { return [] }
        return [.log("remote down model=\(modelID) url=http://\(server.server): \(reason)")]
    }

    private mutating func markUp(_ modelID: String, _ serverID: UInt64) -> [Action] {
        var was = RemoteHealth.up
        update(modelID, serverID) { server in
            was = server.health
            server.health = .up
            server.downReason = nil
        }
        guard was != .up, let server = models[modelID]?.servers.first(where: { $0.id == serverID }) else { return [] }
        return [.log("remote up model=\(modelID) url=http://\(server.server)" + (was == .down ? " (back)" : ""))]
    }

    private mutating func update(_ modelID: String, _ serverID: UInt64, _ change: (inout RemoteServerState) -> Void) {
        guard let index = models[modelID]?.servers.firstIndex(where: { $0.id == serverID }) else { return }
        change(&models[modelID]!.servers[index])
    }

    private func probe(_ upstream: RemoteUpstream, _ server: RemoteServerState) -> Action {
        .probe(modelID: upstream.modelID, serverID: server.id, server: server.server, path: upstream.healthPath,
               authorization: upstream.authorization)
    }

    private static func unavailability(_ server: RemoteServerState) -> String {
        if server.health == .down { return "\(server.server): \(server.downReason ?? "down")" }
        return "\(server.server): not resolved yet"
    }
}
