/// The `${NAME}` placeholders of a `cmd`, `env` or `stop_cmd` string, for checking them when the
/// configuration is read (the pool fills them in). No escape: `${` always opens a placeholder.
public enum CommandTemplate {
    /// In `cmd` and `env`: where it listens (exactly one of the first two) and which model.
    public static let commandNames: Set<String> = ["PORT", "SOCKET", "MODEL_ID", "MODEL_PATH"]
    /// In `stop_cmd`: those and the pid of the command.
    public static let stopCommandNames: Set<String> = commandNames.union(["PID"])

    /// The placeholder names in `text` in order, or nil when a `${` is never closed.
    public static func names(in text: String) -> [String]? {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else { return nil }
            names.append(String(afterOpen[..<close]))
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return names
    }
}
