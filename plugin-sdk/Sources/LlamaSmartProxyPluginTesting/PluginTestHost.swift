import LlamaSmartProxyPluginContract
import LlamaSmartProxyPluginSDK
import Synchronization

/// A stand-in for the proxy in a plugin's own `swift test`. It loads the plugin through its
/// entry point (`PluginExport`) and the C ABI, as the proxy does (the same admission rule and
/// agent checks), calls an agent with a chat request and returns its outcome; the host services
/// the agent uses answer from scripted fakes and are recorded; and `PluginTestCall.modelRequest()`
/// applies a patch with the proxy's own patcher, so a test sees the exact bytes a model would get.
///
///     let host = PluginTestHost(pluginConfig: #"{"greeting":"Hi"}"#)
///     try host.load(entry: llamaSmartProxyPluginEntry)
///     let call = try host.invoke(messages: [.user("/hello Ada")])
///     #expect(call.outcome == .reply("Hi, Ada!"))
public final class PluginTestHost: Sendable {
    /// This plugin's `plugin_config` section, as `configJSON()` returns it.
    public let pluginConfig: String
    /// Agents of other plugins, listed after this plugin's own by `loadedAgents()`.
    public let otherAgents: [AgentListing]
    /// Answers `completeChat`: the request JSON in, the status and body the agent gets out.
    public let completions: @Sendable (String) -> CompletionAnswer

    let state = Mutex(State())

    struct State {
        var pluginName = ""
        var agents: [AgentEntry] = []
        /// Non-nil only while `register_agents` runs.
        var registration: Registration?
        var completionRequests: [String] = []
        var logLines: [LogLine] = []
        var configReads = 0
        var agentListReads = 0
    }

    struct Registration {
        var accepted: [AgentEntry] = []
        var refusals: [String] = []
    }

    public init(
        pluginConfig: String = "{}", otherAgents: [AgentListing] = [],
        completions: @escaping @Sendable (String) -> CompletionAnswer = { _ in .noModel }
    ) {
        self.pluginConfig = pluginConfig
        self.otherAgents = otherAgents
        self.completions = completions
    }

    /// One line the plugin logged through `host.log`.
    public struct LogLine: Sendable, Equatable {
        public let level: PluginHost.LogLevel
        public let text: String
        public init(level: PluginHost.LogLevel, text: String) {
            self.level = level
            self.text = text
        }
    }

    /// The descriptor's name, once loaded.
    public var pluginName: String { state.withLock { $0.pluginName } }
    /// The registered commands, without their slash, in registration order.
    public var commands: [String] { state.withLock { $0.agents.map(\.command) } }
    /// Every request the plugin sent to `completeChat`, in order.
    public var completionRequests: [String] { state.withLock { $0.completionRequests } }
    /// Every line the plugin logged, in order.
    public var logLines: [LogLine] { state.withLock { $0.logLines } }
    /// How often the plugin read its configuration section.
    public var configReads: Int { state.withLock { $0.configReads } }
    /// How often the plugin asked for the list of loaded agents.
    public var agentListReads: Int { state.withLock { $0.agentListReads } }
}
