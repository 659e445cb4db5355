import Foundation
import ProxyAgents
import Synchronization

/// The loaded agent plugins. A reload builds a whole new registry and swaps it in at once; a
/// request keeps the registry it started with.
final class AgentHost: Sendable {
    private let registry = Mutex(AgentRegistry())
    private let sections: PluginConfigSections
    private let loader: PluginLoader?
    private let logger: Logger

    init(logger: Logger, pluginConfig: [String: String], models: LoopbackChatClient) {
        self.logger = logger
        let sections = PluginConfigSections(pluginConfig)
        self.sections = sections
        let services = PluginServices(
            log: { logger.log($0) }, configJSON: { sections[$0] },
            completeChat: { request, completion in models.complete(request, completion: completion) })
        loader = PluginLoader.makePrivateDirectory().map { PluginLoader(privateDirectory: $0, services: services) }
        if loader == nil { logger.log("plugins: no private directory for plugin copies under /tmp; agents disabled") }
    }

    var current: AgentRegistry { registry.withLock { $0 } }

    /// Loads `folder` (no folder: no agents) and swaps the new set in.
    func reload(folder: String?, pluginConfig: [String: String]) {
        sections.replace(pluginConfig)
        guard let folder, let loader else {
            registry.withLock { $0 = AgentRegistry() }
            return
        }
        let fresh = loader.load(folder: folder)
        registry.withLock { $0 = fresh }
        logger.log("plugins: \(fresh.agents.count) agent(s) from \(folder): \(fresh.commands.map { "/" + $0 }.joined(separator: " "))")
    }
}

/// Each plugin's own configuration section (JSON text), as of the latest configuration.
final class PluginConfigSections: Sendable {
    private let sections: Mutex<[String: String]>
    init(_ sections: [String: String]) { self.sections = Mutex(sections) }
    subscript(name: String) -> String { sections.withLock { $0[name] } ?? "{}" }
    func replace(_ new: [String: String]) { sections.withLock { $0 = new } }
}
