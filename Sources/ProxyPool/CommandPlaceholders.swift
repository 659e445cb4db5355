/// `${NAME}` placeholders in a command's arguments: `expand` replaces the names it is given and
/// leaves any other `${...}` as it is, so the values known early (model id and path) and late
/// (port, socket, pid) can be filled in at different times. There is no escape: a literal `${`
/// cannot be written (the configuration rejects unknown names).
public enum CommandPlaceholders {
    public static func expand(_ text: String, _ values: [String: String]) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            result += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = String(afterOpen[..<close])
            result += values[name] ?? "${\(name)}"
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return result + rest
    }

    /// The placeholder names in `text`, in order.
    public static func names(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else { break }
            names.append(String(afterOpen[..<close]))
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return names
    }
}
