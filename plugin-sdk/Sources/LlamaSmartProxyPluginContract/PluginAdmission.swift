import LlamaSmartProxyPluginABI

/// Whether the host may call into a plugin, from its descriptor alone: a pure decision, the
/// rule of `lsp_plugin_descriptor.toolchain` in the header.
public enum PluginAdmission {
    /// Why the plugin must not be loaded, or nil to load it. `usesSwiftRuntime`: the library
    /// needs the Swift runtime (it then shares the host's, which only the same toolchain fits).
    public static func refusal(
        _ fields: PluginDescriptorFields, usesSwiftRuntime: Bool,
        hostABIVersion: UInt32 = LSP_PLUGIN_ABI_VERSION, hostToolchain: String = SwiftToolchain.version
    ) -> String? {
        guard fields.abiVersion == hostABIVersion else {
            return "built for plugin ABI version \(fields.abiVersion), this host speaks \(hostABIVersion)"
        }
        let rebuild = "rebuild it with the proxy's toolchain"
        switch fields.toolchain {
        case .named(let toolchain) where toolchain == hostToolchain:
            return nil
        case .named(let toolchain) where toolchain != LSP_PLUGIN_TOOLCHAIN_C:
            return "built with \(toolchain), this proxy with \(hostToolchain): \(rebuild)"
        case .absent where usesSwiftRuntime:
            return "it uses the Swift runtime but its descriptor predates the toolchain field (an SDK before it),"
                + " so it cannot show which Swift built it; this proxy is built with \(hostToolchain): \(rebuild)"
        case .null where usesSwiftRuntime, .named where usesSwiftRuntime:
            return "its descriptor names no Swift toolchain (NULL or \"C\") but it uses the Swift runtime;"
                + " this proxy is built with \(hostToolchain): \(rebuild)"
        default:
            return nil
        }
    }

    /// Why a finished `register_agents` call leaves nothing to load, or nil: `code` is what it
    /// returned, `refusals` why `register_agent` refused agents, `accepted` how many it took.
    public static func registrationRefusal(code: Int32, refusals: [String], accepted: Int) -> String? {
        let refused = refusals.joined(separator: "; ")
        guard code == 0 else { return "registration failed (code \(code))" + (refused.isEmpty ? "" : ": " + refused) }
        guard refused.isEmpty else { return "registration refused: \(refused)" }
        guard accepted > 0 else { return "it registered no agent and no response hook" }
        return nil
    }
}
