import LlamaSmartProxyPluginContract

extension LoadedAgent {
    /// Calls the plugin's handler through the C ABI (`AgentEntry.invoke`, shared with the SDK's
    /// test host), copies its outcome and hands the plugin's buffer back to its own `release`.
    /// `reply` is the id the plugin ends a pending reply with (0: none).
    public func invoke(arguments: String, requestJSON: String, model: String, reply: UInt64 = 0) -> AgentResult {
        AgentEntry.invoke(handle: handle, release: release, context: context, command: command,
                          arguments: arguments, requestJSON: requestJSON, model: model, reply: reply)
    }
}
