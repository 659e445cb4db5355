import LlamaSmartProxyPluginABI

/// Changes to the client's request, for `AgentOutcome.patch`: top-level members to set or
/// remove, and optionally the new text of the last user message (the command line, say,
/// replaced by the prompt after it).
public struct RequestPatch: Sendable, Equatable {
    /// Members to set, by name; a name already in the request keeps its place.
    public var set: [String: JSONFragment]
    /// Members to remove.
    public var remove: Set<String>
    /// The new text of the last user message, or nil to leave it.
    public var lastUserText: String?
    /// The system prompt (the first message's content when it is a system message, else a new
    /// first message), or nil to leave the messages' roles as they are.
    public var systemPrompt: String?

    public init(set: [String: JSONFragment] = [:], remove: Set<String> = [], lastUserText: String? = nil,
                systemPrompt: String? = nil) {
        self.set = set
        self.remove = remove
        self.lastUserText = lastUserText
        self.systemPrompt = systemPrompt
    }

    /// The patch object the host reads (`LSP_OUTCOME_PATCH`), members sorted by name.
    public var json: String {
        var members = set.sorted { $0.key < $1.key }.map { (JSONFragment.quoted($0.key), $0.value.json) }
        members += remove.subtracting(set.keys).sorted().map { (JSONFragment.quoted($0), "null") }
        if let lastUserText {
            members.append((JSONFragment.quoted(LSP_PATCH_LAST_USER_TEXT), JSONFragment.string(lastUserText).json))
        }
        if let systemPrompt {
            members.append((JSONFragment.quoted(LSP_PATCH_SYSTEM_PROMPT), JSONFragment.string(systemPrompt).json))
        }
        return "{" + members.map { "\($0.0):\($0.1)" }.joined(separator: ",") + "}"
    }
}
