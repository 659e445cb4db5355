import LlamaSmartProxyPluginABI
import LlamaSmartProxyPluginContract

/// Builds what a plugin's entry point returns. A plugin's whole export is:
///
///     @_cdecl("llama_smart_proxy_plugin_entry")
///     public func entry() -> UnsafeRawPointer {
///         PluginExport.descriptor(name: "my-plugin", agents: [MyAgent()], hooks: [MyHook()])
///     }
public enum PluginExport {
    public static let abiVersion = UInt32(LSP_PLUGIN_ABI_VERSION)

    /// A descriptor that registers `agents` and names the Swift toolchain it was built with.
    /// It (and its agents) live as long as the process:
    /// the host never unloads a plugin, and calls the entry point once per load.
    public static func descriptor(name: String, agents: [any Agent]) -> UnsafeRawPointer {
        descriptor(name: name, agents: agents, hooks: [])
    }

    /// The same, registering `hooks` too. On a proxy that predates response hooks (its table
    /// ends before `register_response_hook`) each hook is skipped with a warning in its log and
    /// the agents load alone; a plugin left with nothing registered is then refused.
    public static func descriptor(name: String, agents: [any Agent] = [], hooks: [any ResponseHook]) -> UnsafeRawPointer {
        // Not `UnsafeMutablePointer<lsp_plugin_descriptor>.allocate` + `initialize(to:)`: unspecialized
        // generic code sizes the struct by its runtime type metadata, which the Swift runtime
        // uniques by name across every loaded image, so a plugin built against an older, shorter
        // descriptor, loaded first, would make this one allocate and copy too few bytes. The
        // size here and the store below are this header's, fixed at compile time.
        let descriptor = UnsafeMutableRawPointer.allocate(
            byteCount: MemoryLayout<lsp_plugin_descriptor>.size, alignment: MemoryLayout<lsp_plugin_descriptor>.alignment
        ).assumingMemoryBound(to: lsp_plugin_descriptor.self)
        descriptor.pointee = lsp_plugin_descriptor(
            abi_version: abiVersion,
            size: UInt32(MemoryLayout<lsp_plugin_descriptor>.size),
            name: UnsafePointer(strdupOrEmpty(name)),
            context: Unmanaged.passRetained(PluginContents(agents: agents, hooks: hooks)).toOpaque(),
            register_agents: { context, host in
                guard let context, let host else { return -1 }
                let list = Unmanaged<PluginContents>.fromOpaque(context).takeUnretainedValue()
                return list.register(with: PluginHost(api: host))
            },
            // The compiler that built this SDK, and so the plugin: the host loads only its own.
            toolchain: UnsafePointer(strdupOrEmpty(SwiftToolchain.version))
        )
        return UnsafeRawPointer(descriptor)
    }
}

/// The agents and hooks one export declared, kept alive through the descriptor's context pointer.
final class PluginContents: Sendable {
    let agents: [any Agent]
    let hooks: [any ResponseHook]

    init(agents: [any Agent], hooks: [any ResponseHook]) {
        self.agents = agents
        self.hooks = hooks
    }

    /// Registers every agent, then every hook the host can take; stops at the first one the host
    /// refuses and returns its code.
    func register(with host: PluginHost) -> Int32 {
        for agent in agents {
            let result = AgentBridge.register(agent, with: host)
            if result != 0 { return result }
        }
        for hook in hooks {
            let result = ResponseHookBridge.register(hook, with: host) ?? 0
            if result != 0 { return result }
        }
        return 0
    }
}
