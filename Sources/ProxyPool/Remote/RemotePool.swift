import Endpoints
import ProxyTime
import Synchronization

/// Runs a `RemoteScheduler`: its health checks on threads of their own (each resolves the
/// server's name, then asks its health path), their timers on the timer thread, its log lines.
/// `acquire`, `release` and `releaseUnreachable` only take a lock: safe on an event loop.
public final class RemotePool: Sendable {
    /// Checks one server at `endpoint` (its numeric address): true when healthy. Blocks.
    public typealias Check = @Sendable (_ endpoint: UpstreamEndpoint, _ server: HostPort, _ path: String?,
                                        _ authorization: String?) -> Bool

    private let scheduler = Mutex(RemoteScheduler())
    private let timers: TimerThread
    private let log: @Sendable (String) -> Void
    private let resolve: @Sendable (String) -> String?
    private let check: Check
    private let stopped = Atomic<Bool>(false)

    /// `probeTimeout` bounds each health check's connect, send and each read.
    public init(probeTimeout: Double, log: @escaping @Sendable (String) -> Void, timers: TimerThread = .shared,
                resolve: @escaping @Sendable (String) -> String? = { HostResolution.numericAddress(of: $0) }, check: Check? = nil) {
        self.timers = timers
        self.log = log
        self.resolve = resolve
        self.check = check ?? { endpoint, server, path, authorization in
            HealthProbe(timeout: probeTimeout, path: path, host: server.description, authorization: authorization).isReady(endpoint)
        }
    }

    /// Takes the remote models of a configuration (at start and on SIGHUP). New servers' names
    /// are resolved first, on the caller's thread (never an event loop), so they take requests at once.
    public func configure(_ upstreams: [RemoteUpstream]) {
        var resolved: [String: String] = [:]
        for host in Set(upstreams.flatMap { $0.servers.map(\.host) }) {
            if let address = resolve(host) { resolved[host] = address }
        }
        let actions = scheduler.withLock { $0.configure(upstreams, resolved: resolved, now: MonotonicClock.now()) }
        perform(actions)
    }

    /// The server for a request to `modelID`, not one of `excluding` (those it could not reach).
    public func acquire(_ modelID: String, excluding: Set<UInt64> = []) -> RemoteScheduler.Choice {
        scheduler.withLock { $0.choose(modelID, excluding: excluding) }
    }

    public func release(_ lease: RemoteLease) {
        scheduler.withLock { $0.release(lease) }
    }

    /// The request could not connect to its server, which is down from now on until a check passes.
    public func releaseUnreachable(_ lease: RemoteLease, reason: String) {
        perform(scheduler.withLock { $0.releaseUnreachable(lease, reason: reason) })
    }

    public func statuses() -> [String: [RemoteServerStatus]] {
        scheduler.withLock { $0.statuses() }
    }

    /// No more checks (at shutdown).
    public func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func perform(_ actions: [RemoteScheduler.Action]) {
        guard !stopped.load(ordering: .relaxed) else { return }
        for action in actions {
            switch action {
            case .log(let line):
                log(line)
            case .armTimer(let modelID, let serverID, let deadline):
                timers.schedule(at: deadline) { [weak self] in
                    guard let self else { return }
                    perform(scheduler.withLock { $0.healthDue(modelID, serverID: serverID) })
                }
            case .probe(let modelID, let serverID, let server, let path, let authorization):
                DedicatedThread.start(name: "lsp-remote-health") { [weak self] in
                    guard let self else { return }
                    let host = resolve(server.host)
                    let healthy = host.map { check(.tcp(host: $0, port: server.port), server, path, authorization) } ?? false
                    perform(scheduler.withLock {
                        $0.probed(modelID, serverID: serverID, resolvedHost: host, healthy: healthy, now: MonotonicClock.now())
                    })
                }
            }
        }
    }
}
