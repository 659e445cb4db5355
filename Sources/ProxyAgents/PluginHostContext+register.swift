import LlamaSmartProxyPluginABI

extension PluginHostContext {
    /// `register_agent`: validates the agent, copies its strings, refuses a taken command.
    func register(_ agent: UnsafePointer<lsp_agent>) -> Int32 {
        registration.withLock { registration -> Int32 in
            guard registration != nil else {
                services.log("plugin \(pluginName): register_agent called outside registration, ignored")
                return -1
            }
            switch Self.pending(from: agent) {
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

    private static func pending(from pointer: UnsafePointer<lsp_agent>) -> Result<PendingAgent, RefusedAgent> {
        // Read `size` alone first: an older, shorter struct must not be read past its end.
        let size = UnsafeRawPointer(pointer).load(as: Int.self)
        guard size >= MemoryLayout<lsp_agent>.size else { return .failure(RefusedAgent("lsp_agent of \(size) bytes is too small")) }
        let agent = pointer.pointee
        guard let command = agent.command.map({ String(cString: $0) }), isValidCommand(command) else {
            return .failure(RefusedAgent("invalid command name (use [a-z0-9_-]+ without the slash)"))
        }
        guard let handle = agent.handle, let release = agent.release else {
            return .failure(RefusedAgent("agent /\(command) lacks its handle or release function"))
        }
        return .success(PendingAgent(
            command: command,
            summary: agent.summary.map { String(cString: $0) } ?? "",
            usage: agent.usage.map { String(cString: $0) } ?? "/\(command)",
            handle: handle, release: release, context: agent.context
        ))
    }

    static func isValidCommand(_ command: String) -> Bool {
        !command.isEmpty && command.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}

struct RefusedAgent: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
