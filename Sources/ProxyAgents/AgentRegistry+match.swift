import LlamaSmartProxyPluginContract

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
        guard !agents.isEmpty, let line = SlashCommandLine.split(lastUserMessageText), let agent = agents[line.command] else { return nil }
        return AgentMatch(agent: agent, arguments: line.arguments)
    }

    /// The skipped plugin file that would have served the `/command` starting
    /// `lastUserMessageText`, when no loaded agent serves it.
    public func skippedFile(serving lastUserMessageText: String) -> (command: String, file: SkippedPluginFile)? {
        guard !skipped.isEmpty, let command = SlashCommandLine.commandWord(of: lastUserMessageText), agents[command] == nil,
              let file = skipped.first(where: { $0.commands.contains(command) })
        else { return nil }
        return (command, file)
    }
}
