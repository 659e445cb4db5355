extension ConfiguredModel {
    static let agentKeys = ["agent"]

    /// `agent`: the command of the agent every client request to this model goes to (with or
    /// without its slash), which then answers it, typically by calling the model itself and
    /// passing on or changing what it answers (a response hook).
    static func decodeAgent(_ entry: ConfigObjectReader, into model: inout ConfiguredModel) throws(ConfigError) {
        guard var command = try entry.string("agent", expected: "an agent's command, e.g. \"json-check\"") else { return }
        if command.hasPrefix("/") { command.removeFirst() }
        guard !command.isEmpty, command.utf8.allSatisfy(isCommandByte) else {
            throw ConfigError(keyPath: entry.keyPath("agent"), message: "an agent's command is lowercase letters, digits, - and _")
        }
        model.agent = command
    }

    private static func isCommandByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
