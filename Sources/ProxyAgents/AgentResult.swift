import LlamaSmartProxyPluginContract

/// What a plugin's agent decided for one request (the SDK's contract module decodes it, for
/// the proxy and for the SDK's test host alike).
public typealias AgentResult = LlamaSmartProxyPluginContract.AgentResult
