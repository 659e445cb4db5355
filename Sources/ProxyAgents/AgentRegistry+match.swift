/// A registered command found at the start of a message.
public struct AgentMatch: Sendable {
    public let agent: LoadedAgent
    /// The text after the command and the spaces or tabs that follow it.
    public let arguments: String
}

extension AgentRegistry {
    /// The agent whose `/command` starts `lastUserMessageText`. Unregistered commands (say
    /// `/etc/hosts`) do not match, and a message that does not start with `/` costs one compare.
    public func match(_ lastUserMessageText: String) -> AgentMatch? {
        guard lastUserMessageText.utf8.first == UInt8(ascii: "/"), !agents.isEmpty else { return nil }
        let afterSlash = lastUserMessageText.utf8.dropFirst()
        let commandEnd = afterSlash.firstIndex(where: { Self.isSeparator($0) }) ?? afterSlash.endIndex
        guard let agent = agents[String(Substring(afterSlash[..<commandEnd]))] else { return nil }
        let rest = lastUserMessageText.utf8[commandEnd...]
        let argumentsStart = rest.firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) ?? rest.endIndex
        return AgentMatch(agent: agent, arguments: String(Substring(rest[argumentsStart...])))
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
