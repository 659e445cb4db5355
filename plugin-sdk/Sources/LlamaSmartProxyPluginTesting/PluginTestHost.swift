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
    /// Answers `streamChat` (`stream_chat`): the request JSON in, the events and end out.
    public let streams: @Sendable (String) -> StreamAnswer
    /// Whether the host table has the reply functions (`send_delta`, `finish_reply`,
    /// `stream_chat`, `cancel_chat`): a `StreamingAgent` streams then, else it runs `handle`.
    public let supportsReplies: Bool
    /// How long a pending reply may take to finish before the call fails with 504.
    public let replyTimeoutSeconds: Double
    /// Whether the host table has `register_response_hook`: false plays a proxy that predates
    /// response hooks (the SDK then skips the plugin's hooks with a warning).
    public let supportsResponseHooks: Bool

    let state = Mutex(State())

    struct State {
        var pluginName = ""
        var agents: [AgentEntry] = []
        var hooks: [ResponseHookEntry] = []
        /// Non-nil only while `register_agents` runs.
        var registration: Registration?
        var completionRequests: [String] = []
        var logLines: [LogLine] = []
        var configReads = 0
        var agentListReads = 0
        var nextReply: UInt64 = 0
        var replies: [UInt64: PendingReply] = [:]
        var streamRequests: [String] = []
        var nextCall: UInt64 = 0
        /// Streamed calls whose end has not run yet, with what runs it.
        var openCalls: [UInt64: @Sendable (Int, String) -> Void] = [:]
        /// The reply each streamed call is tied to (it ends with its reply).
        var callReplies: [UInt64: UInt64] = [:]
        var cancelledStreams = 0
    }

    /// A reply the agent writes later: its deltas, and how it ended (nil: not yet).
    struct PendingReply {
        var deltas: [String] = []
        var result: AgentResult?
        /// Async `invoke`s waiting for the end.
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    struct Registration {
        var accepted: [AgentEntry] = []
        var acceptedHooks: [ResponseHookEntry] = []
        var refusals: [String] = []
    }

    public init(
        pluginConfig: String = "{}", otherAgents: [AgentListing] = [], supportsReplies: Bool = true,
        replyTimeoutSeconds: Double = 60, supportsResponseHooks: Bool = true,
        completions: @escaping @Sendable (String) -> CompletionAnswer = { _ in .noModel },
        streams: @escaping @Sendable (String) -> StreamAnswer = { _ in .noModel }
    ) {
        self.pluginConfig = pluginConfig
        self.otherAgents = otherAgents
        self.supportsReplies = supportsReplies
        self.replyTimeoutSeconds = replyTimeoutSeconds
        self.supportsResponseHooks = supportsResponseHooks
        self.streams = streams
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
    /// The registered response hooks' names, in registration order.
    public var hooks: [String] { state.withLock { $0.hooks.map(\.name) } }
    /// Every request the plugin sent to `completeChat`, in order.
    public var completionRequests: [String] { state.withLock { $0.completionRequests } }
    /// Every line the plugin logged, in order.
    public var logLines: [LogLine] { state.withLock { $0.logLines } }
    /// How often the plugin read its configuration section.
    public var configReads: Int { state.withLock { $0.configReads } }
    /// How often the plugin asked for the list of loaded agents.
    public var agentListReads: Int { state.withLock { $0.agentListReads } }
    /// Every request the plugin sent to `streamChat`, in order.
    public var streamRequests: [String] { state.withLock { $0.streamRequests } }
    /// How many streamed calls the plugin stopped early (`cancel_chat`, or a chunk callback
    /// that asked to stop).
    public var cancelledStreams: Int { state.withLock { $0.cancelledStreams } }
}
