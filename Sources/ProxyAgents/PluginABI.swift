import LlamaSmartProxyPluginABI

/// The plugin ABI this host speaks (`LSP_PLUGIN_ABI_VERSION` of the SDK's header).
public enum PluginABI {
    public static let version = Int(LSP_PLUGIN_ABI_VERSION)
}
