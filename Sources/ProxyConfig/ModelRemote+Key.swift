extension ModelRemote {
    /// `api_key` or `api_key_file` (the file's one key; blank lines and `#` lines are skipped), for a
    /// remote model or a peer. Errors never quote a key.
    static func decodeKey(_ entry: ConfigObjectReader, paths: PathChecker) throws(ConfigError) -> String? {
        let inline = try entry.string("api_key", expected: "a key (a string)")
        let file = try entry.string("api_key_file", expected: "a path")
        if inline != nil && file != nil {
            throw ConfigError(keyPath: entry.keyPath("api_key_file"), message: "give either `api_key` or `api_key_file`, not both")
        }
        if let inline {
            guard APIKeys.isValidKey(inline) else {
                throw ConfigError(keyPath: entry.keyPath("api_key"), message: "a key must be \(APIKeys.keyRule)")
            }
            return inline
        }
        guard let file else { return nil }
        let resolved = try paths.existingFile(file, keyPath: entry.keyPath("api_key_file"))
        guard let contents = paths.readFile(resolved) else {
            throw ConfigError(keyPath: entry.keyPath("api_key_file"), message: "cannot read \(resolved)")
        }
        let keys = try APIKeys.parseKeyFile(contents, keyPath: entry.keyPath("api_key_file"))
        guard keys.count == 1 else {
            throw ConfigError(keyPath: entry.keyPath("api_key_file"), message: "\(resolved) must hold exactly one key, has \(keys.count)")
        }
        return keys[0]
    }
}
