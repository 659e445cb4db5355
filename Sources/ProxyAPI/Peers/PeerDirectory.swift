import Endpoints
import ProxyConfig
import ProxyHTTP
import ProxyPool
import ProxyTime
import Synchronization

/// Runs a `PeerScheduler`: reads each peer's model list on a thread of its own at the peer's
/// interval, resolves the peers named by DNS on a thread of their own at theirs, and lends a
/// peer to each request for a model that is not this proxy's own.
/// `acquire`, `release` and `releaseUnreachable` only take a lock: safe on an event loop.
final class PeerDirectory: Sendable {
    typealias Fetch = @Sendable (_ endpoint: UpstreamEndpoint, _ server: HostPort, _ authorization: String?)
        -> Result<[PeerModel], PeerListingError>

    private let scheduler = Mutex(PeerScheduler())
    private let timers: TimerThread
    private let log: @Sendable (String) -> Void
    private let resolve: @Sendable (String) -> String?
    private let resolveAll: @Sendable (String) -> Result<[String], HostResolutionError>
    private let fetch: Fetch
    private let stopped = Atomic<Bool>(false)

    init(timeout: Double, log: @escaping @Sendable (String) -> Void, timers: TimerThread = .shared,
         resolve: @escaping @Sendable (String) -> String? = { HostResolution.numericAddress(of: $0) },
         resolveAll: @escaping @Sendable (String) -> Result<[String], HostResolutionError> = { HostResolution.allAddresses(of: $0) },
         fetch: Fetch? = nil) {
        self.timers = timers
        self.log = log
        self.resolve = resolve
        self.resolveAll = resolveAll
        self.fetch = fetch ?? { endpoint, server, authorization in
            PeerListing.fetch(endpoint, server: server, authorization: authorization, timeout: timeout)
        }
    }

    /// Takes the configuration's peers (at start and on SIGHUP): those given by a URL have their
    /// names resolved first on the caller's thread (never an event loop); those named by DNS are
    /// resolved on a thread of their own.
    func configure(_ configured: [Peer]) {
        let upstreams = configured.filter { $0.resolveSeconds == nil }.map(PeerUpstream.init)
        let names = configured.compactMap(PeerDNSName.init)
        var resolved: [String: String] = [:]
        for host in Set(upstreams.map(\.server.host)) {
            if let address = resolve(host) { resolved[host] = address }
        }
        perform(scheduler.withLock { $0.configure(upstreams, names: names, resolved: resolved) })
    }

    var isEmpty: Bool { scheduler.withLock { $0.isEmpty } }

    /// Whether a request for a name none of this proxy's models has may go to a peer: there are
    /// peers, and the request does not come from one (proxies that peer each other never loop).
    func mayServe(_ request: HTTPServerRequest) -> Bool {
        request.head.headers[PeerListing.header] == nil && !isEmpty
    }

    /// A peer for `model` and the `Authorization` it gets; nil when no peer that is up lists it.
    func acquire(_ model: String, excluding: Set<UInt64> = []) -> (lease: RemoteLease, authorization: String?)? {
        scheduler.withLock { scheduler in
            scheduler.choose(model, excluding: excluding).map { ($0, scheduler.authorization(for: $0)) }
        }
    }

    func release(_ lease: RemoteLease) {
        scheduler.withLock { $0.release(lease) }
    }

    func releaseUnreachable(_ lease: RemoteLease, reason: String) {
        perform(scheduler.withLock { $0.releaseUnreachable(lease, reason: reason) })
    }

    func statuses() -> [PeerStatus] {
        scheduler.withLock { $0.statuses() }
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
    }

    private func perform(_ actions: [PeerScheduler.Action]) {
        guard !stopped.load(ordering: .relaxed) else { return }
        for action in actions {
            switch action {
            case .log(let line):
                log(line)
            case .armTimer(let peerID, let deadline):
                timers.schedule(at: deadline) { [weak self] in
                    guard let self else { return }
                    perform(scheduler.withLock { $0.fetchDue(peerID) })
                }
            case .armResolveTimer(let nameID, let deadline):
                timers.schedule(at: deadline) { [weak self] in
                    guard let self else { return }
                    perform(scheduler.withLock { $0.resolveDue(nameID) })
                }
            case .resolve(let nameID, let host):
                DedicatedThread.start(name: "lsp-peer-dns") { [weak self] in
                    guard let self else { return }
                    let answer = resolveAll(host)
                    perform(scheduler.withLock { $0.resolved(nameID, addresses: answer, now: MonotonicClock.now()) })
                }
            case .fetch(let peerID, let server, let authorization):
                DedicatedThread.start(name: "lsp-peer-list") { [weak self] in
                    guard let self else { return }
                    let host = resolve(server.host)
                    let result = host.map { fetch(.tcp(host: $0, port: server.port), server, authorization) }
                        ?? .failure(PeerListingError("cannot resolve \(server.host)"))
                    let models = try? result.get()
                    let reason = if case .failure(let error) = result { error.description } else { "" }
                    perform(scheduler.withLock {
                        $0.fetched(peerID, resolvedHost: host, models: models, reason: reason, now: MonotonicClock.now())
                    })
                }
            }
        }
    }
}
