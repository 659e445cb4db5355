/// How a message names an agent: `/command arguments`. The command ends at a space, tab or
/// line break; the arguments are the rest after the spaces or tabs that follow it (a line
/// break is kept). Commands are case-sensitive.
public struct SlashCommandLine: Sendable, Equatable {
    public let command: String
    public let arguments: String

    public init(command: String, arguments: String) {
        self.command = command
        self.arguments = arguments
    }

    /// The command word of `text` when it starts with `/` (a message that does not costs one
    /// compare), without checking that any agent serves it.
    public static func commandWord(of text: String) -> String? {
        split(text).map(\.command)
    }

    /// `text` split into its command and arguments, or nil when it does not start with `/`.
    public static func split(_ text: String) -> SlashCommandLine? {
        guard text.utf8.first == UInt8(ascii: "/") else { return nil }
        let afterSlash = text.utf8.dropFirst()
        let commandEnd = afterSlash.firstIndex(where: { isSeparator($0) }) ?? afterSlash.endIndex
        let rest = text.utf8[commandEnd...]
        let argumentsStart = rest.firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) ?? rest.endIndex
        return SlashCommandLine(command: String(Substring(afterSlash[..<commandEnd])),
                                arguments: String(Substring(text.utf8[argumentsStart...])))
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
