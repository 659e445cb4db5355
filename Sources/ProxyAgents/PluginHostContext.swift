import LlamaSmartProxyPluginContract
import Synchronization

/// What the host API's C functions reach through `host_context`, one per loaded plugin. Kept
/// alive for good: the plugin may keep the host API pointer and call it at any time.
final class PluginHostContext: Sendable {
    let pluginName: String
    let services: PluginServices
    /// Collects agents while `register_agents` runs; nil before and after, so late calls fail.
    let registration = Mutex<PluginRegistration?>(nil)

    init(pluginName: String, services: PluginServices) {
        self.pluginName = pluginName
        self.services = services
    }

    /// This plugin's configuration section as of now: a reload's new `plugin_config` reaches a
    /// plugin whose file did not change (and so kept its loaded agents) too.
    var configJSON: String { services.configJSON(pluginName) }

    static func from(_ pointer: UnsafeMutableRawPointer?) -> PluginHostContext {
        Unmanaged<PluginHostContext>.fromOpaque(pointer!).takeUnretainedValue()
    }
}

/// Agents and hooks a plugin offered during its registration, and the names it may not take.
struct PluginRegistration: Sendable {
    var takenCommands: [String: String]
    var takenHooks: [String: String] = [:]
    var accepted: [AgentEntry] = []
    var acceptedHooks: [ResponseHookEntry] = []
    var refusals: [String] = []
    /// Commands refused because another plugin serves them.
    var refusedCommands: [String] = []
}
