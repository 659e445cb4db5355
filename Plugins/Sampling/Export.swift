import LlamaSmartProxyPluginSDK

@_cdecl("llama_smart_proxy_plugin_entry")
public func llamaSmartProxyPluginEntry() -> UnsafeRawPointer {
    PluginExport.descriptor(name: "sampling", agents: [TemperatureAgent(), JSONModeAgent(), JSONCheckAgent(), ModelSwitchAgent()])
}
