import Foundation
import LlamaSmartProxyPluginContract
import ProxyAgents
import Synchronization

/// The loaded agent plugins. A reload builds a whole new registry and swaps it in at once; a
/// request keeps the registry it started with.
final class AgentHost: Sendable {
    private let registry: CurrentRegistry
    private let sections: PluginConfigSections
    private let loader: PluginLoader?
    private let logger: Logger
    private let metrics: ProxyMetrics?
    /// `log_patched_requests`, as of the last (re)load.
    private let logsModelRequests = Atomic<Bool>(false)
    /// Replies agents end later, and the streamed model calls they make.
    let replies = AgentReplies()
    let modelCalls: AgentModelCalls
    /// The router the proxy's own calls (agents', response hooks') go through.
    let inProcess: InProcessRoute

    /// Plugin copies go into a private folder under `privateParent` (the process's runtime folder,
    /// so a proxy that dies leaves them where the next start cleans up).
    init(logger: Logger, pluginConfig: [String: String], privateParent: String,
         metrics: ProxyMetrics? = nil, credentialToken: String = "", maxAnswerBytes: Int = 64 << 20) {
        self.logger = logger
        let replies = replies
        let inProcess = InProcessRoute(credentialToken: credentialToken, maxAnswerBytes: maxAnswerBytes)
        self.inProcess = inProcess
        let modelCalls = AgentModelCalls(route: inProcess, replies: replies)
        let completions = InProcessChatCompletion(route: inProcess)
        self.modelCalls = modelCalls
        replies.setCallCanceller { modelCalls.cancel($0) }
        self.metrics = metrics
        let sections = PluginConfigSections(pluginConfig)
        let registry = CurrentRegistry()
        self.sections = sections
        self.registry = registry
        var services = PluginServices(
            // Plugins log whatever they like, request text included: escaped like a client's value.
            log: { logger.log(LogEscaping.escape($0, limit: 4096)) }, configJSON: { sections[$0] },
            completeChat: { request, completion in completions.complete(request, completion: completion) },
            agentListJSON: { Self.listJSON(registry.value) })
        services.replies = AgentReplyServices(
            sendDelta: { replies.sendDelta($0, $1) }, finish: { replies.finish($0, $1) },
            streamChat: { modelCalls.start(reply: $0, requestJSON: $1, events: $2) }, cancelChat: { modelCalls.cancel($0) })
        SwiftConcurrencyWarmUp.run()
        loader = PluginLoader.makePrivateDirectory(under: privateParent).map { PluginLoader(privateDirectory: $0, services: services) }
        if loader == nil { logger.log("plugins: no private directory for plugin copies under \(privateParent); agents disabled") }
    }

    var current: AgentRegistry { registry.value }

    /// At exit: the private folder is empty (each copy is unlinked once mapped).
    func removePrivateDirectory() {
        if let loader { rmdir(loader.privateDirectory) }
    }

    /// Loads `folder` (no folder: no agents) and swaps the new set in.
    func reload(folder: String?, pluginConfig: [String: String], logPatchedRequests: Bool) {
        logsModelRequests.store(logPatchedRequests, ordering: .relaxed)
        sections.replace(pluginConfig)
        guard let folder, let loader else {
            registry.replace(AgentRegistry())
            return
        }
        let previous = registry.value
        let loaded = loader.load(folder: folder, previous: previous)
        let fresh = Self.keepingRunningVersions(of: previous, over: loaded, logger: logger)
        registry.replace(fresh)
        metrics?.recordPluginReload(result: loaded.problems == 0 ? "ok" : loaded.agents.isEmpty ? "failed" : "partial")
        logger.log("plugins: \(fresh.agents.count) agent(s) from \(folder): \(fresh.commands.map { "/" + $0 }.joined(separator: " "))"
            + (fresh.hooks.isEmpty ? "" : "; response hooks: " + fresh.hooks.keys.sorted().joined(separator: " ")))
    }

    /// A plugin whose file is still there but whose new version could not be loaded (broken,
    /// or caught mid-copy) keeps running in its old version, as nginx keeps a running
    /// configuration when a new one is bad. A removed file takes its agents with it.
    static func keepingRunningVersions(of previous: AgentRegistry, over fresh: AgentRegistry, logger: Logger) -> AgentRegistry {
        let loadedPaths = Set(fresh.libraries.keys)
        let kept = previous.libraries.values.filter { library in
            !loadedPaths.contains(library.file.path) && FileManager.default.fileExists(atPath: library.file.path)
                && library.agents.allSatisfy { fresh.agents[$0.command] == nil } && library.hooks.allSatisfy { fresh.hooks[$0.name] == nil }
        }
        guard !kept.isEmpty else { return fresh }
        for path in kept.map(\.file.path).sorted() {
            logger.log("plugins: kept the running version of \(path): its new version could not be loaded")
        }
        return AgentRegistry(agents: Array(fresh.agents.values) + kept.flatMap(\.agents), hooks: Array(fresh.hooks.values) + kept.flatMap(\.hooks),
                             skipped: fresh.skipped, folderProblem: fresh.folderProblem)
    }

    /// With `log_patched_requests`: one line with the body `/command` sends on to the model (its
    /// patch applied, or its new request), escaped like client input and cut at 16 KiB.
    func logModelRequest(of command: String, body: [UInt8], patched: Bool) {
        guard logsModelRequests.load(ordering: .relaxed) else { return }
        logger.log("agent \(command) \(patched ? "patched" : "rewrote") the request (\(body.count) bytes): "
            + LogEscaping.escape(bytes: body, limit: 16384, escapingQuotes: false))
    }

    /// The agents as the host API's `copy_agent_list` hands them to plugins.
    static func listJSON(_ registry: AgentRegistry) -> String {
        AgentListJSON.text(registry.agents.values.map {
            AgentListJSON.Entry(command: $0.command, summary: $0.summary, usage: $0.usage, plugin: $0.plugin.name)
        })
    }
}

/// The registry in force, swapped whole.
final class CurrentRegistry: Sendable {
    private let registry = Mutex(AgentRegistry())
    var value: AgentRegistry { registry.withLock { $0 } }
    func replace(_ new: AgentRegistry) { registry.withLock { $0 = new } }
}

/// Each plugin's own configuration section (JSON text), as of the latest configuration.
final class PluginConfigSections: Sendable {
    private let sections: Mutex<[String: String]>
    init(_ sections: [String: String]) { self.sections = Mutex(sections) }
    subscript(name: String) -> String { sections.withLock { $0[name] } ?? "{}" }
    func replace(_ new: [String: String]) { sections.withLock { $0 = new } }
}
