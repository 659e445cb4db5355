import LlamaSmartProxyPluginSDK

/// The one `json-check` hook of this library, for the export and for `sampling_json_check_open_exchanges`.
let jsonCheckHook = JSONCheckHook()

@_cdecl("llama_smart_proxy_plugin_entry")
public func llamaSmartProxyPluginEntry() -> UnsafeRawPointer {
    PluginExport.descriptor(name: "sampling", agents: [TemperatureAgent(), JSONModeAgent(), JSONCheckAgent(), ModelSwitchAgent()],
                            hooks: [jsonCheckHook])
}

/// How many exchanges `json-check` keeps state for (for tests: 0 once every exchange is closed).
@_cdecl("sampling_json_check_open_exchanges")
public func samplingJSONCheckOpenExchanges() -> Int {
    jsonCheckHook.openExchanges
}
