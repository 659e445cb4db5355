import ProxyTime
import Foundation
import HTTPCodec
import ProxyConfig
import ProxyHTTP
import ProxyPool

/// The running proxy: event loops, HTTP server, model catalog and server pool, wired together.
public final class ProxyApplication: Sendable {
    public let port: Int
    /// The proxy's log: stderr, and the lines kept for `GET /logs`.
    public let logger: Logger
    private let logStore: LogStore
    private let group: EventLoopGroup
    private let server: HTTPServer
    private let pool: ServerPool
    private let remotes: RemotePool
    private let peers: PeerDirectory
    private let catalog: ModelCatalog
    private let agents: AgentHost
    private let router: APIRouter
    private let events: PoolEventFeed
    private let shutdownGrace: Double
    private let runtimeFolder: RuntimeFolder
    private let pidFile: PidFile?

    public init(configuration: ProxyConfiguration, logger stderrLogger: Logger = Logger()) throws {
        let logStore = LogStore(linesPerSource: configuration.limits.logLines)
        self.logStore = logStore
        let logger = stderrLogger.keeping(in: logStore)
        self.logger = logger
        shutdownGrace = configuration.timeouts.shutdownGrace
        // Model sockets and the plugins' private copies live in one folder per process; the
        // folders of proxies that died without cleaning up go first.
        for stale in StaleRuntimeFolders.sweep(parent: NSTemporaryDirectory()) {
            logger.log("removed stale runtime folder \(NSTemporaryDirectory())\(stale): its proxy is not running")
        }
        runtimeFolder = try RuntimeFolder.claim(parent: NSTemporaryDirectory())
        let runtimeDirectory = runtimeFolder.path
        // One loop: the proxy does microseconds of work per request while llama-server needs every
        // core; more loop threads only compete with it (measured: fewer req/s at 16 connections).
        group = EventLoopGroup(count: 1)
        let metrics = ProxyMetrics(loops: group.loops)
        let events = PoolEventFeed(
            bufferLimit: configuration.limits.eventBuffer, heartbeatSeconds: configuration.timeouts.eventsHeartbeat)
        self.events = events
        pool = ServerPool(
            configuration: PoolConfiguration(
                maxLoaded: configuration.maxLoaded, loadTimeout: configuration.timeouts.load,
                queueTimeout: configuration.timeouts.queue, stopTimeout: configuration.timeouts.stop,
                restartBackoffMax: configuration.timeouts.restartBackoffMax, runtimeDirectory: runtimeDirectory,
                devices: PoolDevices.make(configuration), maxWait: configuration.scheduling.maxWait,
                healthCheckInterval: configuration.timeouts.healthCheck,
                healthCheckTimeout: configuration.timeouts.healthCheckTimeout,
                healthCheckFailures: configuration.limits.healthCheckFailures,
                slotCacheBytes: UInt64(configuration.limits.slotCacheMiB) << 20,
                slotSaveTimeout: configuration.timeouts.slotSave, swapHold: configuration.scheduling.swapHold,
                replicaLoadSlack: configuration.scheduling.replicaLoadSlack,
                replicaRouting: ReplicaRouting(rawValue: configuration.scheduling.replicaRouting) ?? .affinity,
                gpuReleaseTimeout: configuration.timeouts.gpuRelease, nvidiaSMI: configuration.nvidiaSMI,
                rpcConnectTimeout: configuration.timeouts.upstreamConnect),
            log: { logger.log($0) }, record: { metrics.record($0) },
            childLog: { logStore.record($0, time: Logger.timestamp()) }, observer: events,
            memoryReader: { LlamaServerReportReader() })
        catalog = ModelCatalog(configuration: configuration, now: { MonotonicClock.now() })
        remotes = RemotePool(probeTimeout: configuration.timeouts.healthCheckTimeout, log: { logger.log($0) })
        remotes.configure(RemoteUpstream.all(in: configuration))
        peers = PeerDirectory(timeout: configuration.timeouts.healthCheckTimeout, log: { logger.log($0) })
        peers.configure(configuration.peers)
        let proxy = ReverseProxy(
            group: group, upstreamIdleTimeout: configuration.timeouts.upstreamIdle,
            upstreamConnectTimeout: configuration.timeouts.upstreamConnect)
        let loopbackCredential = LoopbackCredential.random()
        agents = AgentHost(
            logger: logger, pluginConfig: configuration.pluginConfig, privateParent: runtimeDirectory,
            metrics: metrics, credentialToken: loopbackCredential.token, maxAnswerBytes: configuration.limits.maxBodyBytes)
        agents.reload(folder: configuration.pluginsDir, pluginConfig: configuration.pluginConfig,
                      logPatchedRequests: configuration.logPatchedRequests)
        let recent = RecentRequests(capacity: configuration.limits.recentRequests)
        let requestLog = RequestLog(logger: logger, enabled: configuration.logRequests, metrics: metrics, recent: recent)
        router = APIRouter(
            dispatcher: ModelDispatcher(
                catalog: catalog, pool: pool, proxy: proxy, requestLog: requestLog,
                agents: agents, agentRunner: AgentRunner(
                    timeout: configuration.timeouts.agent,
                    executor: BoundedExecutor(
                        name: "lsp-agent", threads: configuration.limits.agentThreads,
                        queueLimit: configuration.limits.agentQueue)),
                remotes: remotes, peers: peers, multipartLimit: configuration.limits.maxHeaderBytes,
                hookLimits: ResponseHooks.Limits(
                    timeout: configuration.timeouts.agent, maxRounds: configuration.limits.responseHookRounds)),
            models: ModelsEndpoint(catalog: catalog, pool: pool, remotes: remotes, peers: peers, created: Int(WallClock.now().unixSeconds)),
            agents: AgentsEndpoint(agents: agents), metrics: MetricsEndpoint(metrics: metrics, pool: pool),
            logs: LogsEndpoint(store: logStore, catalog: catalog, streamBufferBytes: configuration.limits.logStreamBufferBytes,
                              log: { logger.log($0) }),
            operations: OperationsEndpoints(
                management: ManagementEndpoint(
                    catalog: catalog, pool: pool, peers: peers, forwarder: RemoteForwarder(proxy: proxy, requestLog: requestLog)),
                status: AdminStatusEndpoint(catalog: catalog, pool: pool, agents: agents, recent: recent, startedAt: MonotonicClock.now()),
                events: events, pool: pool),
            loopback: loopbackCredential, requestLog: requestLog, policy: RouterPolicy(configuration))
        server = try HTTPServer(
            configuration: HTTPServer.Configuration(
                host: configuration.host, port: configuration.port,
                limits: HTTPParserLimits(
                    maxHeaderBytes: configuration.limits.maxHeaderBytes, maxBodyBytes: configuration.limits.maxBodyBytes),
                timeouts: ServerConnectionStateMachine.Timeouts(
                    requestHeader: configuration.timeouts.requestHeader.nanosecondsIfLimited,
                    keepAlive: configuration.timeouts.keepAlive.nanosecondsIfLimited)),
            group: group, handler: router)
        port = server.port
        agents.inProcess.attach(handler: router, group: group)
        let count = catalog.snapshot.resolver.models.count
        if let path = configuration.pidFile {
            do {
                pidFile = try PidFile.write(path)
            } catch {
                server.stopAccepting()
                throw error
            }
        } else {
            pidFile = nil
        }
        logger.log("listening on \(configuration.host):\(server.port) pid=\(getpid()) models=\(count) max_loaded=\(configuration.maxLoaded)"
            + " devices=\(Self.devicesSummary(pool.devices)) \(Self.accessSummary(configuration))"
            + (pidFile.map { " pid_file=\($0.path)" } ?? ""))
        preload(configuration.preload)
    }

    /// Starts the `preload` models, in order, as far as there is room; what cannot be found or
    /// started is logged, never fatal.
    private func preload(_ names: [String]) {
        for name in names {
            catalog.resolve(name) { [pool, logger] resolution, launch in
                guard let launch else {
                    logger.log("preload skipped model=\(name): \(ModelDispatcher.resolutionError(resolution, name: name).message)")
                    return
                }
                pool.preload(launch.spec)
            }
        }
    }

    /// SIGHUP: a new configuration's model list and the plugins folder take effect for the next
    /// request; requests in flight keep what they started with.
    public func reload(_ configuration: ProxyConfiguration) {
        peers.configure(configuration.peers)
        remotes.configure(RemoteUpstream.all(in: configuration))  // first: the new catalog's remote models are then known
        catalog.replaceConfiguration(configuration)
        router.replacePolicy(RouterPolicy(configuration))
        agents.reload(folder: configuration.pluginsDir, pluginConfig: configuration.pluginConfig,
                      logPatchedRequests: configuration.logPatchedRequests)
        logger.log("reloaded configuration: models=\(catalog.snapshot.resolver.models.count) \(Self.accessSummary(configuration))")
    }

    /// `host:15000MiB,gpu0:24000MiB`.
    private static func devicesSummary(_ devices: [PoolDevice]) -> String {
        devices.map { $0.memoryBytes == .max ? "\($0.name):unlimited" : "\($0.name):\(PoolDevice.mebibytes($0.memoryBytes))MiB" }
            .joined(separator: ",")
    }

    /// How many keys (never which) and the CORS origins, for the start and reload lines.
    private static func accessSummary(_ configuration: ProxyConfiguration) -> String {
        let keys = configuration.apiKeys
        let access = keys.isOff ? "api_keys=off" : "api_keys=\(keys.client.count) admin_api_keys=\(keys.admin.count)"
        let cors = configuration.corsOrigins.isEmpty ? "off" : configuration.corsOrigins.joined(separator: ",")
        return "\(access) cors_origins=\(cors)"
    }

    /// Stops accepting, lets requests in flight finish (up to the grace period, or at once when
    /// `interrupted()` turns true), then stops every llama-server.
    public func shutdown(interrupted: () -> Bool = { false }) {
        server.stopAccepting()
        remotes.stop()
        peers.stop()
        pool.refuseAcquires()  // queued requests get 503 now; only those being answered get the grace
        events.finishAll()  // event streams never end by themselves
        logger.log("shutting down: \(server.tracker.requestsInFlight) request(s) in flight")
        logStore.close()  // live log streams end now: they would hold the grace period up
        // A grace of 0 stops at once.
        let deadline = MonotonicClock.now() &+ (shutdownGrace.nanosecondsIfLimited ?? 0)
        while server.tracker.requestsInFlight > 0 && MonotonicClock.now() < deadline && !interrupted() {
            usleep(20_000)
        }
        agents.removePrivateDirectory()
        pool.shutdown(grace: 0)
        runtimeFolder.release()  // empty by now but for its lock
        pidFile?.remove()
        group.stop()
        logger.log("stopped")
    }
}
