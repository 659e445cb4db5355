import LlamaSmartProxyPluginContract

/// A response hook a plugin registered (`register_response_hook`), and where it came from.
public struct LoadedResponseHook: Sendable {
    public let name: String
    public let summary: String
    public let plugin: PluginFile
    let entry: ResponseHookEntry

    /// Calls the plugin's hook through the C ABI (`ResponseHookEntry.invoke`, shared with the
    /// SDK's test host) and copies its verdict.
    public func invoke(_ call: AnswerCall) -> HookVerdict {
        entry.invoke(call)
    }
}
