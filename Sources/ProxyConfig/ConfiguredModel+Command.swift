extension ConfiguredModel {
    static let commandKeys = ["cmd", "env", "ready_path", "stop_signal", "stop_cmd"]

    /// `cmd` and the keys that only make sense with it; nil when the entry has no `cmd` (and
    /// then none of them). A `cmd` string is not split: give the argv as an array.
    static func decodeCommand(_ entry: ConfigObjectReader, hasPath: Bool) throws(ConfigError) -> ModelCommand? {
        guard entry.value("cmd") != nil else {
            if let stray = commandKeys.dropFirst().first(where: { entry.value($0) != nil }) {
                throw ConfigError(keyPath: entry.keyPath(stray), message: "only for a model with `cmd`")
            }
            return nil
        }
        if case .string = entry.value("cmd") {
            throw ConfigError(keyPath: entry.keyPath("cmd"), message: "give the command as an array of strings, e.g. [\"/usr/bin/server\", \"--port\", \"${PORT}\"] (a string is not split)")
        }
        if entry.value("args") != nil {
            throw ConfigError(keyPath: entry.keyPath("args"), message: "`args` are llama-server's; with `cmd`, put every argument in `cmd`")
        }
        let argv = try entry.stringArray("cmd") ?? []
        guard let first = argv.first, !first.isEmpty else {
            throw ConfigError(keyPath: entry.keyPath("cmd"), message: "give the executable and its arguments, the executable first")
        }
        var command = ModelCommand(argv: argv)
        let used = try checkPlaceholders(argv, keyPath: entry.keyPath("cmd"), allowed: CommandTemplate.commandNames)
        let listening = ["PORT", "SOCKET"].filter(used.contains)
        guard listening.count == 1 else {
            throw ConfigError(keyPath: entry.keyPath("cmd"), message: listening.isEmpty
                ? "name where the command listens: ${PORT} (a loopback TCP port the proxy picks) or ${SOCKET} (a UNIX socket path)"
                : "use either ${PORT} or ${SOCKET}, not both")
        }
        var environmentUses: Set<String> = []
        if let environment = try entry.object("env") {
            for (name, value) in environment.members {
                guard !name.isEmpty, !name.contains("="), !name.contains("\0") else {
                    throw ConfigError(keyPath: environment.keyPath(name), message: "an environment variable name must be non-empty, without '='")
                }
                guard case .string(let text) = value else { throw environment.mismatch(name, expected: "a string", got: value) }
                environmentUses.formUnion(try checkPlaceholders([text], keyPath: environment.keyPath(name), indexed: false, allowed: CommandTemplate.commandNames))
                command.environment[name] = text
            }
        }
        if !hasPath, used.union(environmentUses).contains("MODEL_PATH") {
            throw ConfigError(keyPath: entry.keyPath("path"), message: "missing; ${MODEL_PATH} needs the model's file")
        }
        command.readyPath = try decodeCheckPath(entry, key: "ready_path")
        if let stopCommand = try entry.stringArray("stop_cmd") {
            guard let first = stopCommand.first, !first.isEmpty else {
                throw ConfigError(keyPath: entry.keyPath("stop_cmd"), message: "give the executable and its arguments, the executable first")
            }
            let stopUses = try checkPlaceholders(stopCommand, keyPath: entry.keyPath("stop_cmd"), allowed: CommandTemplate.stopCommandNames)
            if !hasPath, stopUses.contains("MODEL_PATH") {
                throw ConfigError(keyPath: entry.keyPath("path"), message: "missing; ${MODEL_PATH} needs the model's file")
            }
            if entry.value("stop_signal") != nil {
                throw ConfigError(keyPath: entry.keyPath("stop_signal"), message: "give either `stop_signal` or `stop_cmd`, not both")
            }
            command.stopCommand = stopCommand
        }
        if let name = try entry.string("stop_signal", expected: "a signal name") {
            guard let signal = ModelCommand.signals.first(where: { $0.name == name }) else {
                throw ConfigError(keyPath: entry.keyPath("stop_signal"),
                                  message: "unknown signal \"\(name)\" (known: \(ModelCommand.signals.map(\.name).joined(separator: ", ")))")
            }
            command.stopSignal = signal.number
        }
        return command
    }

    /// A check's path (`ready_path`, `health_path`): from "/", default `/health`, or `null` or
    /// `""` for no request (a connection that is accepted passes).
    static func decodeCheckPath(_ entry: ConfigObjectReader, key: String) throws(ConfigError) -> String? {
        switch entry.value(key) {
        case nil: return "/health"
        case .null: return nil
        case .string(let text) where text.isEmpty: return nil
        case .string(let text) where text.hasPrefix("/") && !text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true }):
            return text
        case let value?: throw entry.mismatch(key, expected: "a path starting with \"/\", or null or \"\" for no check", got: value)
        }
    }

    /// The names used in `strings`; an unknown or unclosed placeholder is an error naming its element.
    private static func checkPlaceholders(
        _ strings: [String], keyPath: String, indexed: Bool = true, allowed: Set<String>
    ) throws(ConfigError) -> Set<String> {
        var used: Set<String> = []
        for (index, text) in strings.enumerated() {
            let elementPath = indexed ? "\(keyPath)[\(index)]" : keyPath
            guard let names = CommandTemplate.names(in: text) else {
                throw ConfigError(keyPath: elementPath, message: "\"${\" is not closed by \"}\"")
            }
            if let unknown = names.first(where: { !allowed.contains($0) }) {
                throw ConfigError(keyPath: elementPath, message: "unknown placeholder ${\(unknown)} (known: \(allowed.sorted().map { "${\($0)}" }.joined(separator: ", ")))")
            }
            used.formUnion(names)
        }
        return used
    }
}
