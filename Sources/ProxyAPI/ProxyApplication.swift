import ProxyTime
import Foundation
import HTTPCodec
import ProxyConfig
import ProxyHTTP
import ProxyPool

/// The running proxy: event loops, HTTP server, model catalog and server pool, wired together.
public final class ProxyApplication: Sendable {
    public let port: Int
    private let logger: Logger
    private let group: EventLoopGroup
    private let server: HTTPServer
    private let pool: ServerPool
    private let catalog: ModelCatalog
    private let agents: AgentHost
    private let shutdownGrace: Double

    public init(configuration: ProxyConfiguration, logger: Logger = Logger()) throws {
        self.logger = logger
        shutdownGrace = configuration.timeouts.shutdownGrace
        let runtimeDirectory = NSTemporaryDirectory() + "llama-smart-proxy-\(getpid())"
        pool = ServerPool(
            configuration: PoolConfiguration(
                maxLoaded: configuration.maxLoaded, loadTimeout: configuration.timeouts.load,
                queueTimeout: configuration.timeouts.queue,
                restartBackoffMax: configuration.timeouts.restartBackoffMax, runtimeDirectory: runtimeDirectory),
            log: { logger.log($0) })
        catalog = ModelCatalog(configuration: configuration, now: { MonotonicClock.now() })
        // One loop: the proxy does microseconds of work per request while llama-server needs every
        // core; more loop threads only compete with it (measured: fewer req/s at 16 connections).
        group = EventLoopGroup(count: 1)
        let proxy = ReverseProxy(group: group, upstreamIdleTimeout: configuration.timeouts.upstreamIdle)
        let loopback = LoopbackChatClient()
        agents = AgentHost(logger: logger, pluginConfig: configuration.pluginConfig, models: loopback)
        agents.reload(folder: configuration.pluginsDir, pluginConfig: configuration.pluginConfig)
        let router = APIRouter(
            dispatcher: ModelDispatcher(
                catalog: catalog, pool: pool, proxy: proxy,
                requestLog: RequestLog(logger: logger, enabled: configuration.logRequests),
                agents: agents, agentRunner: AgentRunner(timeout: configuration.timeouts.agent)),
            models: ModelsEndpoint(catalog: catalog, pool: pool, created: Int(Date().timeIntervalSince1970)),
            agents: AgentsEndpoint(agents: agents))
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
        loopback.setAddress(host: configuration.host, port: server.port)
        let count = catalog.currentModels().count
        logger.log("listening on \(configuration.host):\(server.port) models=\(count) max_loaded=\(configuration.maxLoaded)")
    }

    /// SIGHUP: a new configuration's model list and the plugins folder take effect for the next
    /// request; requests in flight keep what they started with.
    public func reload(_ configuration: ProxyConfiguration) {
        catalog.replaceConfiguration(configuration)
        agents.reload(folder: configuration.pluginsDir, pluginConfig: configuration.pluginConfig)
        logger.log("reloaded configuration: models=\(catalog.currentModels().count)")
    }

    /// Stops accepting, lets requests in flight finish (up to the grace period, or at once when
    /// `interrupted()` turns true), then stops every llama-server.
    public func shutdown(interrupted: () -> Bool = { false }) {
        server.stopAccepting()
        pool.refuseAcquires()  // queued requests get 503 now; only those being answered get the grace
        logger.log("shutting down: \(server.tracker.requestsInFlight) request(s) in flight")
        let deadline = Date().addingTimeInterval(shutdownGrace)
        while server.tracker.requestsInFlight > 0 && Date() < deadline && !interrupted() {
            usleep(20_000)
        }
        pool.shutdown(grace: 0)
        agents.removePrivateDirectory()
        group.stop()
        logger.log("stopped")
    }
}
