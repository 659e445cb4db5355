import LlamaSmartProxyPluginABI
import LlamaSmartProxyPluginContract

extension PluginHostContext {
    /// `register_agent`: validates the agent, copies its strings, refuses a taken command.
    func register(_ agent: UnsafePointer<lsp_agent>) -> Int32 {
        registration.withLock { registration -> Int32 in
            guard registration != nil else {
                services.log("plugin \(pluginName): register_agent called outside registration, ignored")
                return -1
            }
            switch AgentEntry.read(agent) {
            case .failure(let reason):
                registration!.refusals.append(reason.reason)
                return -1
            case .success(let pending):
                if let owner = registration!.takenCommands[pending.command] {
                    registration!.refusals.append("command /\(pending.command) is already registered by \(owner)")
                    registration!.refusedCommands.append(pending.command)
                    return -2
                }
                registration!.takenCommands[pending.command] = pluginName
                registration!.accepted.append(pending)
                return 0
            }
        }
    }

    /// `register_response_hook`: validates the hook, copies its strings, refuses a taken name.
    func register(_ hook: UnsafePointer<lsp_response_hook>) -> Int32 {
        registration.withLock { registration -> Int32 in
            guard registration != nil else {
                services.log("plugin \(pluginName): register_response_hook called outside registration, ignored")
                return -1
            }
            switch ResponseHookEntry.read(hook) {
            case .failure(let reason):
                registration!.refusals.append(reason.reason)
                return -1
            case .success(let pending):
                if let owner = registration!.takenHooks[pending.name] {
                    registration!.refusals.append("response hook \(pending.name) is already registered by \(owner)")
                    return -2
                }
                registration!.takenHooks[pending.name] = pluginName
                registration!.acceptedHooks.append(pending)
                return 0
            }
        }
    }
}
