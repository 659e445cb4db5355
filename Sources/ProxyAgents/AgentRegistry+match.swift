/// A registered command found at the start of a message.
public struct AgentMatch: Sendable {
    public let agent: LoadedAgent
    /// The text after the command and the spaces or tabs that follow it.
    public let arguments: String
}

extension AgentRegistry {
    /// The agent whose `/command` starts `lastUserMessageText`. Unregistered commands (say
    /// `/etc/hosts`) do not match, and a message that does not start with `/` costs one compare.
    /// Commands are case-sensitive and end at a space, tab or line break.
    public func match(_ lastUserMessageText: String) -> AgentMatch? {
        guard !agents.isEmpty, let (command, rest) = Self.commandWord(lastUserMessageText), let agent = agents[command] else { return nil }
        let argumentsStart = rest.firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) ?? rest.endIndex
        return AgentMatch(agent: agent, arguments: String(Substring(rest[argumentsStart...])))
    }

    /// The skipped plugin file that would have served the `/command` starting
    /// `lastUserMessageText`, when no loaded agent serves it.
    public func skippedFile(serving lastUserMessageText: String) -> (command: String, file: SkippedPluginFile)? {
        guard !skipped.isEmpty, let (command, _) = Self.commandWord(lastUserMessageText), agents[command] == nil,
              let file = skipped.first(where: { $0.commands.contains(command) })
        else { return nil }
        return (command, file)
    }

    /// The word after a leading `/`, and the text after it.
    private static func commandWord(_ text: String) -> (String, Substring.UTF8View)? {
        guard text.utf8.first == UInt8(ascii: "/") else { return nil }
        let afterSlash = text.utf8.dropFirst()
        let commandEnd = afterSlash.firstIndex(where: { isSeparator($0) }) ?? afterSlash.endIndex
        return (String(Substring(afterSlash[..<commandEnd])), Substring(text.utf8[commandEnd...]).utf8)
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
