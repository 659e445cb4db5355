extension APIKeys {
    static let configKeys = ["api_keys", "api_keys_file", "admin_api_keys", "admin_api_keys_file"]
    static let keyRule = "1 to \(maxKeyLength) printable ASCII characters without spaces"

    /// Reads the four key settings of the top-level object. Errors name the key and the line,
    /// never the key's text.
    static func decode(_ root: ConfigObjectReader, paths: PathChecker) throws(ConfigError) -> APIKeys {
        let client = try keys(root, inline: "api_keys", file: "api_keys_file", paths: paths)
        let admin = try keys(root, inline: "admin_api_keys", file: "admin_api_keys_file", paths: paths)
        return APIKeys(client: client.keys, admin: admin.keys, clientFile: client.file, adminFile: admin.file)
    }

    private static func keys(
        _ root: ConfigObjectReader, inline: String, file: String, paths: PathChecker
    ) throws(ConfigError) -> (keys: [String], file: String?) {
        var keys: [String] = []
        for (index, key) in (try root.stringArray(inline) ?? []).enumerated() {
            guard isValidKey(key) else {
                throw ConfigError(keyPath: root.keyPath("\(inline)[\(index)]"), message: "a key must be \(keyRule)")
            }
            keys.append(key)
        }
        guard let path = try root.string(file, expected: "a path") else { return (keys, nil) }
        let resolved = try paths.existingFile(path, keyPath: root.keyPath(file))
        guard let contents = paths.readFile(resolved) else {
            throw ConfigError(keyPath: root.keyPath(file), message: "cannot read \(resolved)")
        }
        return (keys + (try parseKeyFile(contents, keyPath: root.keyPath(file))), resolved)
    }

    /// One key per line; surrounding whitespace, blank lines and lines starting with `#` are
    /// ignored.
    static func parseKeyFile(_ contents: [UInt8], keyPath: String) throws(ConfigError) -> [String] {
        var keys: [String] = []
        for (index, rawLine) in contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            var line = rawLine[...]
            while let first = line.first, isWhitespace(first) { line.removeFirst() }
            while let last = line.last, isWhitespace(last) { line.removeLast() }
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            let key = String(decoding: line, as: UTF8.self)
            guard isValidKey(key) else {
                throw ConfigError(keyPath: keyPath, message: "line \(index + 1): a key must be \(keyRule)")
            }
            keys.append(key)
        }
        return keys
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }
}
