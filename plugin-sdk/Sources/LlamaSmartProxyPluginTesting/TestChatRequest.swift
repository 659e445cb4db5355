import LlamaSmartProxyPluginSDK

/// Builds chat completion request JSON for `PluginTestHost.invoke(messages:)`, written by the
/// SDK's `JSONFragment` (members sorted by name, compact).
public enum TestChatRequest {
    /// One chat message with string content.
    public struct Message: Sendable, Equatable {
        public let role: String
        public let content: String

        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }

        public static func user(_ content: String) -> Message { Message(role: "user", content: content) }
        public static func system(_ content: String) -> Message { Message(role: "system", content: content) }
        public static func assistant(_ content: String) -> Message { Message(role: "assistant", content: content) }
    }

    /// `{"messages":[...],"model":"..."}` plus `extra` members (e.g. `"max_tokens": .int(8)`).
    public static func json(messages: [Message], model: String = "test-model", extra: [String: JSONFragment] = [:]) -> String {
        var members = extra
        members["model"] = .string(model)
        members["messages"] = .array(messages.map { .object(["role": .string($0.role), "content": .string($0.content)]) })
        return JSONFragment.object(members).json
    }
}
