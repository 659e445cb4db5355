import LlamaSmartProxyPluginABI

/// An `lsp_agent` a plugin offered to `register_agent`, checked and its strings copied.
public struct AgentEntry: @unchecked Sendable {
    // @unchecked: C function pointers and a context that live as long as the process (a plugin
    // library is never unloaded), and the ABI requires handlers to accept calls from any thread.
    public let command: String
    public let summary: String
    public let usage: String
    public let handle: lsp_agent_handler
    public let release: lsp_release_function
    public let context: UnsafeMutableRawPointer?
    /// The response hook the answers to what this agent forwards go through (`lsp_agent.response_hook`).
    public let responseHook: String?

    public init(command: String, summary: String, usage: String, handle: lsp_agent_handler,
                release: lsp_release_function, context: UnsafeMutableRawPointer?, responseHook: String? = nil) {
        self.responseHook = responseHook
        self.command = command
        self.summary = summary
        self.usage = usage
        self.handle = handle
        self.release = release
        self.context = context
    }

    /// Why an `lsp_agent` cannot be registered.
    public struct Refusal: Error, Sendable, Equatable {
        public let reason: String
        public init(_ reason: String) { self.reason = reason }
    }

    /// The agent `pointer` describes, or why it is refused (too small a struct, an invalid
    /// command name, a missing function).
    public static func read(_ pointer: UnsafePointer<lsp_agent>) -> Result<AgentEntry, Refusal> {
        // Read `size` alone first, then field by field through the pointer (`pointee.field`
        // projects the field's address; the struct is never copied whole): a struct of the first
        // layout ends before `response_hook`, which is read only when `size` covers it.
        let size = UnsafeRawPointer(pointer).load(as: Int.self)
        guard size >= firstLayoutSize else { return .failure(Refusal("lsp_agent of \(size) bytes is too small")) }
        guard let command = pointer.pointee.command.map({ String(cString: $0) }), isValidCommand(command) else {
            return .failure(Refusal("invalid command name (use [a-z0-9_-]+ without the slash)"))
        }
        guard let handle = pointer.pointee.handle, let release = pointer.pointee.release else {
            return .failure(Refusal("agent /\(command) lacks its handle or release function"))
        }
        let responseHook = size >= MemoryLayout<lsp_agent>.size ? pointer.pointee.response_hook.map { String(cString: $0) } : nil
        if let responseHook, !isValidCommand(responseHook) {
            return .failure(Refusal("agent /\(command) names an invalid response hook (use [a-z0-9_-]+)"))
        }
        return .success(AgentEntry(
            command: command,
            summary: pointer.pointee.summary.map { String(cString: $0) } ?? "",
            usage: pointer.pointee.usage.map { String(cString: $0) } ?? "/\(command)",
            handle: handle, release: release, context: pointer.pointee.context, responseHook: responseHook
        ))
    }

    /// The size of the first `lsp_agent` layout, which ends before `response_hook`.
    public static let firstLayoutSize = MemoryLayout<lsp_agent>.offset(of: \lsp_agent.response_hook)!

    /// `[a-z0-9_-]+`.
    public static func isValidCommand(_ command: String) -> Bool {
        !command.isEmpty && command.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
