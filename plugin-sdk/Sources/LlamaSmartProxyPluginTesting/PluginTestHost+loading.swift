import Glibc
import LlamaSmartProxyPluginABI
import LlamaSmartProxyPluginContract
import LlamaSmartProxyPluginSDK

extension PluginTestHost {
    /// Loads the plugin linked into the test through its entry point, the function its
    /// `@_cdecl("llama_smart_proxy_plugin_entry")` exports (`PluginExport.descriptor(...)`).
    /// Throws `PluginTestError.refused` with the reason the proxy would skip it for.
    public func load(entry: () -> UnsafeRawPointer) throws {
        let descriptor = entry().assumingMemoryBound(to: lsp_plugin_descriptor.self)
        try load(descriptor: UnsafePointer(descriptor), usesSwiftRuntime: true)
    }

    /// Loads agent and response hook values directly, through a descriptor `PluginExport` builds for them.
    public func load(name: String = "test-plugin", agents: [any Agent] = [], hooks: [any ResponseHook] = []) throws {
        try load(entry: { PluginExport.descriptor(name: name, agents: agents, hooks: hooks) })
    }

    /// Opens a built plugin library (`.build/debug/libHello.so`) the way the proxy does
    /// (`RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE`), finds its entry symbol and loads it.
    public func load(library path: String) throws {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            throw PluginTestError.refused("not a loadable shared library: \(dlerror().map { String(cString: $0) } ?? "unknown error")")
        }
        guard let symbol = dlsym(handle, LSP_PLUGIN_ENTRY_SYMBOL) else {
            throw PluginTestError.refused("no entry symbol \(LSP_PLUGIN_ENTRY_SYMBOL)")
        }
        guard let descriptor = unsafeBitCast(symbol, to: lsp_plugin_entry.self)() else {
            throw PluginTestError.refused("its entry point returned no descriptor")
        }
        try load(descriptor: descriptor, usesSwiftRuntime: SwiftRuntimeUse.inLibrary(handle),
                 linkerIdents: ELFComment.swiftToolchainIdents(in: FileBytes.read(path) ?? []))
    }

    /// The proxy's steps: the admission rule (ABI version, toolchain), then `register_agents`
    /// with a host table, then the registration verdict (agents and hooks count alike).
    func load(descriptor: UnsafePointer<lsp_plugin_descriptor>, usesSwiftRuntime: Bool,
              linkerIdents: @autoclosure () -> Set<String> = SwiftToolchain.linkerIdents) throws {
        let fields = PluginDescriptorFields.read(descriptor)
        if let refusal = PluginAdmission.refusal(fields, usesSwiftRuntime: usesSwiftRuntime, linkerIdents: linkerIdents()) {
            throw PluginTestError.refused(refusal)
        }
        guard let registerAgents = descriptor.pointee.register_agents else {
            throw PluginTestError.refused("its descriptor has no register_agents")
        }
        let name = descriptor.pointee.name.map { String(cString: $0) } ?? "plugin"
        try state.withLock { state in
            guard state.pluginName.isEmpty else { throw PluginTestError.alreadyLoaded }
            state.pluginName = name
            state.registration = Registration()
        }
        let code = registerAgents(descriptor.pointee.context, PluginTestHostAPI.make(for: self))
        let registration = state.withLock { state in
            defer { state.registration = nil }
            return state.registration!
        }
        if let refusal = PluginAdmission.registrationRefusal(
            code: code, refusals: registration.refusals, accepted: registration.accepted.count + registration.acceptedHooks.count) {
            throw PluginTestError.refused(refusal)
        }
        state.withLock { state in
            state.agents = registration.accepted
            state.hooks = registration.acceptedHooks
        }
    }

    /// `register_agent`: the proxy's checks of the `lsp_agent`, and no command twice (this
    /// plugin's, or one `otherAgents` serve).
    func register(_ agent: UnsafePointer<lsp_agent>) -> Int32 {
        state.withLock { state -> Int32 in
            guard state.registration != nil else {
                state.logLines.append(LogLine(level: .error, text: "register_agent called outside registration, ignored"))
                return -1
            }
            switch AgentEntry.read(agent) {
            case .failure(let refusal):
                state.registration!.refusals.append(refusal.reason)
                return -1
            case .success(let entry):
                let owner = state.registration!.accepted.contains { $0.command == entry.command } ? state.pluginName
                    : otherAgents.first { $0.command == "/" + entry.command }?.plugin
                if let owner {
                    state.registration!.refusals.append("command /\(entry.command) is already registered by \(owner)")
                    return -2
                }
                state.registration!.accepted.append(entry)
                return 0
            }
        }
    }
}
