import ProxyJSON

/// The text `copy_agent_list` hands a plugin: a JSON array of
/// `{"command":"/x","summary":...,"usage":...,"plugin":...}` objects sorted by command. Written
/// here once, for the proxy and for the SDK's test host.
public enum AgentListJSON {
    /// One loaded agent; `command` without its slash.
    public struct Entry: Sendable, Equatable {
        public let command: String
        public let summary: String
        public let usage: String
        public let plugin: String

        public init(command: String, summary: String, usage: String, plugin: String) {
            self.command = command
            self.summary = summary
            self.usage = usage
            self.plugin = plugin
        }
    }

    public static func text(_ entries: [Entry]) -> String {
        JSONValue.array(entries.sorted { $0.command < $1.command }.map { entry in
            .object([
                ("command", .string("/" + entry.command)), ("summary", .string(entry.summary)),
                ("usage", .string(entry.usage)), ("plugin", .string(entry.plugin)),
            ])
        }).serializedString
    }
}
