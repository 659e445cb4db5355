import LlamaSmartProxyPluginABI

/// An `lsp_response_hook` a plugin offered to `register_response_hook`, checked and its strings copied.
public struct ResponseHookEntry: @unchecked Sendable {
    // @unchecked: C function pointers and a context that live as long as the process (a plugin
    // library is never unloaded), and the ABI requires hooks to accept calls from any thread.
    public let name: String
    public let summary: String
    public let onAnswer: lsp_answer_handler
    public let release: lsp_release_function
    public let context: UnsafeMutableRawPointer?

    public init(name: String, summary: String, onAnswer: lsp_answer_handler, release: lsp_release_function,
                context: UnsafeMutableRawPointer?) {
        self.name = name
        self.summary = summary
        self.onAnswer = onAnswer
        self.release = release
        self.context = context
    }

    /// The hook `pointer` describes, or why it is refused (too small a struct, an invalid name,
    /// a missing function).
    public static func read(_ pointer: UnsafePointer<lsp_response_hook>) -> Result<ResponseHookEntry, AgentEntry.Refusal> {
        let size = UnsafeRawPointer(pointer).load(as: Int.self)
        guard size >= MemoryLayout<lsp_response_hook>.size else {
            return .failure(AgentEntry.Refusal("lsp_response_hook of \(size) bytes is too small"))
        }
        guard let name = pointer.pointee.name.map({ String(cString: $0) }), AgentEntry.isValidCommand(name) else {
            return .failure(AgentEntry.Refusal("invalid response hook name (use [a-z0-9_-]+)"))
        }
        guard let onAnswer = pointer.pointee.on_answer, let release = pointer.pointee.release else {
            return .failure(AgentEntry.Refusal("response hook \(name) lacks its on_answer or release function"))
        }
        return .success(ResponseHookEntry(
            name: name, summary: pointer.pointee.summary.map { String(cString: $0) } ?? "",
            onAnswer: onAnswer, release: release, context: pointer.pointee.context))
    }
}
