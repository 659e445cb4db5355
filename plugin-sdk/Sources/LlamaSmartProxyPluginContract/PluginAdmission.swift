import LlamaSmartProxyPluginABI

/// Whether the host may call into a plugin, from its descriptor alone: a pure decision, the
/// rule of `lsp_plugin_descriptor.toolchain` in the header.
public enum PluginAdmission {
    /// Why the plugin must not be loaded, or nil to load it. `usesSwiftRuntime`: the library
    /// needs the Swift runtime (it then shares the host's, which only the same toolchain fits).
    /// `linkerIdents`: the toolchain idents in the library's `.comment` (`ELFComment`), which
    /// let a Swift plugin built with an SDK before the toolchain field in: it loads when the
    /// toolchain that linked it is the host's own (`hostLinkerIdents`). Both are read only for
    /// such a plugin (reading them means reading the library's and the host's ELF files).
    public static func refusal(
        _ fields: PluginDescriptorFields, usesSwiftRuntime: Bool, linkerIdents: @autoclosure () -> Set<String> = [],
        hostABIVersion: UInt32 = LSP_PLUGIN_ABI_VERSION, hostToolchain: String = SwiftToolchain.version,
        hostLinkerIdents: @autoclosure () -> Set<String> = SwiftToolchain.linkerIdents
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
            let linkerIdents = linkerIdents()
            // An older SDK's descriptor, linked by this very toolchain.
            if !linkerIdents.isEmpty && linkerIdents.isSubset(of: hostLinkerIdents()) { return nil }
            let linked = linkerIdents.isEmpty ? "and names no toolchain that linked it"
                : "and was linked by another toolchain (\(linkerIdents.sorted().joined(separator: "; ")))"
            return "it uses the Swift runtime but its descriptor predates the toolchain field (an SDK before it), \(linked);"
                + " this proxy is built with \(hostToolchain): \(rebuild)"
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
